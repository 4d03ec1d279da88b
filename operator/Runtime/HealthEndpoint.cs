using System.Net;
using Microsoft.Extensions.Logging;

namespace Gateway.Operator.Runtime;

/// <summary>/healthz (the process answers) and /readyz (caches synced, or standing by as a follower) for the kubelet.</summary>
public sealed class HealthEndpoint(int port, Func<bool> ready, ILogger logger)
{
    public const int Port = 8081;

    public async Task RunAsync(CancellationToken cancel)
    {
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://+:{port}/");
        try
        {
            listener.Start();
        }
        catch (HttpListenerException error)
        {
            logger.LogWarning("health endpoint not started on port {Port}: {Error}", port, error.Message);
            return;
        }
        using var stop = cancel.Register(listener.Stop);
        while (!cancel.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (cancel.IsCancellationRequested)
            {
                return;
            }
            var (code, text) = context.Request.Url?.AbsolutePath switch
            {
                "/healthz" => (200, "ok"),
                "/readyz" => ready() ? (200, "ok") : (503, "caches not synced"),
                _ => (404, "not found"),
            };
            context.Response.StatusCode = code;
            await using (var writer = new StreamWriter(context.Response.OutputStream))
                await writer.WriteAsync(text);
            context.Response.Close();
        }
    }
}
