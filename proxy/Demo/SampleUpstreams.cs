using System.Text.Json;

namespace Gateway.Proxy.Demo;

/// <summary>
/// Two small HTTP services for the local demo ("foo" on 127.0.0.1:9001 and "bar" on 127.0.0.1:9002), each
/// answering with what it received so that `curl` through the gateway shows where a request was routed.
/// </summary>
public sealed class SampleUpstreams : IAsyncDisposable
{
    public static readonly (string Name, int Port)[] Defaults = [("foo", 9001), ("bar", 9002)];

    private readonly List<WebApplication> _servers = [];

    public static async Task<SampleUpstreams> StartAsync()
    {
        var upstreams = new SampleUpstreams();
        foreach (var (name, port) in Defaults)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
            var app = builder.Build();
            app.Run(context => Answer(context, name));
            await app.StartAsync();
            upstreams._servers.Add(app);
        }
        return upstreams;
    }

    private static Task Answer(HttpContext context, string name)
    {
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Request.Headers) headers[key.ToLowerInvariant()] = value.ToString();
        var body = new
        {
            service = name,
            method = context.Request.Method,
            path = context.Request.Path.Value + context.Request.QueryString.Value,
            headers,
        };
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers) await server.DisposeAsync();
    }
}
