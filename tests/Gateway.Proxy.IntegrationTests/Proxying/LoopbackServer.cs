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

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>Test upstreams: a Kestrel server on a free loopback port, in cleartext or over TLS with a self-signed certificate.</summary>
public static class LoopbackServer
{
    /// <summary>A builder for a quiet server speaking <paramref name="protocols"/>, over TLS when <paramref name="tls"/>.</summary>
    public static WebApplicationBuilder CreateBuilder(HttpProtocols protocols, bool tls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        X509Certificate2? certificate = null;
        if (tls)
        {
            var pem = TestCertificate.Create("upstream.test");
            certificate = X509Certificate2.CreateFromPem(pem.Cert, pem.Key);
        }
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = protocols;
            if (certificate is not null) listen.UseHttps(certificate);
        }));
        return builder;
    }

    /// <summary>The port a started server listens on.</summary>
    public static int PortOf(WebApplication app) =>
        new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()).Port;
}
