using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gateway.Proxy.IntegrationTests.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        X509Certificate2? certificate = null;
        if (tls)
        {
            var pem = TestCertificate.Create("grpc.upstream.test");
            certificate = X509Certificate2.CreateFromPem(pem.Cert, pem.Key);
        }
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (certificate is not null) listen.UseHttps(certificate);
        }));
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
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new GrpcUpstream(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
