using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Proxy.IntegrationTests.Proxying.Grpc;

/// <summary>
/// A real gRPC server (Grpc.AspNetCore) serving <see cref="Greeter"/> on a loopback port: HTTP/2 only, in cleartext
/// (h2c, as a <c>grpc</c> service reaches it) or over TLS with a self-signed certificate (<c>grpcs</c>).
/// </summary>
public sealed class GrpcUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcUpstream(WebApplication app, int port)
    {
        _app = app;
        Port = port;
        Log = app.Services.GetRequiredService<GreeterLog>();
    }

    public int Port { get; }

    public GreeterLog Log { get; }

    public static async Task<GrpcUpstream> StartAsync(bool tls = false)
    {
        var builder = LoopbackServer.CreateBuilder(HttpProtocols.Http2, tls);
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<GreeterLog>();
        var app = builder.Build();
        // A call made in another message format (application/grpc+json) is answered in that format, as gRPC servers do.
        app.Use((context, next) =>
        {
            var type = context.Request.ContentType;
            if (type is not null && type.StartsWith("application/grpc+", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.OnStarting(() =>
                {
                    context.Response.ContentType = type;
                    return Task.CompletedTask;
                });
            }
            return next(context);
        });
        app.MapGrpcService<Greeter>();
        await app.StartAsync();
        return new GrpcUpstream(app, LoopbackServer.PortOf(app));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
