using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.IntegrationTests.EndToEnd;
using Gateway.Proxy.Settings;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>
/// The admin listener of the real gateway host: TLS with the certificate in GATEWAY_ADMIN_TLS_CERT/KEY, and the GUI
/// origins and body limit from the settings, which leave the proxy listener alone.
/// </summary>
public sealed class AdminListenerTests : IDisposable
{
    private readonly string _files = Directory.CreateTempSubdirectory("tollgate-admin-tls-").FullName;

    public void Dispose() => Directory.Delete(_files, recursive: true);

    [Fact]
    public async Task The_admin_listener_serves_https_with_the_configured_certificate_and_no_plain_http()
    {
        var certificate = TestCertificate.Create("admin.tollgate.test");
        var settings = Settings(await WriteAsync("tls.crt", certificate.Cert), await WriteAsync("tls.key", certificate.Key));
        await using var app = GatewayHost.Build(settings);
        await app.StartAsync();

        string? subject = null;
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, served, _, _) =>
                {
                    subject = served is null ? null : new X509Certificate2(served).Subject;
                    return true;
                },
            },
        };
        using var https = new HttpClient(handler) { BaseAddress = new Uri($"https://{settings.AdminListen}"), Timeout = TimeSpan.FromSeconds(10) };
        using var response = await https.GetAsync("/status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("CN=admin.tollgate.test", subject);

        // Loopback rules hold over TLS as well: the request's own origin is https://127.0.0.1:<port>.
        using var write = new HttpRequestMessage(HttpMethod.Post, "/config") { Content = Loopback.Form(("config", "_format_version: \"3.0\"\n")) };
        write.Headers.Add("Origin", $"https://{settings.AdminListen}");
        await Loopback.ExpectAsync(HttpStatusCode.Created, https.SendAsync(write));

        using var plain = Loopback.Client(settings.AdminListen!);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync("/status"));
        await app.StopAsync();
    }

    [Fact]
    public async Task Files_that_are_not_pem_stop_the_start_with_one_line_naming_the_admin_settings()
    {
        var file = await WriteAsync("broken.pem", "not a certificate");
        var error = Assert.Throws<SettingsException>(() => GatewayHost.Build(Settings(file, file)));
        Assert.StartsWith("GATEWAY_ADMIN_TLS_CERT/GATEWAY_ADMIN_TLS_KEY", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Gui_origins_and_the_body_limit_apply_to_the_admin_listener_and_not_to_the_proxy()
    {
        await using var upstream = await EchoUpstream.StartAsync();
        var parsed = DeclarativeParser.Parse($"""
            _format_version: "3.0"
            services:
            - name: echo
              url: {upstream.Url}
              routes:
              - paths: [/echo]
            """);
        Assert.True(parsed.IsValid, parsed.Describe());
        var settings = Settings(null, null) with
        {
            ProxyListen = Loopback.FreeAddress(),
            AdminGuiOrigins = ["https://admin.example.com"],
            AdminBodyLimit = 1024,
        };
        await using var app = GatewayHost.Build(settings, parsed.Config);
        await app.StartAsync();
        using var admin = Loopback.Client(settings.AdminListen!);
        using var proxy = Loopback.Client(settings.ProxyListen!);

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/services");
        preflight.Headers.Add("Origin", "https://admin.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var answer = await admin.SendAsync(preflight);
        Assert.Equal("https://admin.example.com", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());

        var big = new string('x', 64 * 1024);
        await Loopback.ExpectAsync(HttpStatusCode.RequestEntityTooLarge, admin.PostAsync("/config", Loopback.Form(("config", big))));
        var echoed = await Loopback.ExpectAsync(HttpStatusCode.OK, proxy.PostAsync("/echo", new StringContent(big)));
        Assert.Contains(big, echoed);
        await app.StopAsync();
    }

    private GatewaySettings Settings(string? cert, string? key) => new()
    {
        Database = DatabaseMode.Off,
        ProxyListen = null,
        StatusListen = null,
        AdminListen = Loopback.FreeAddress(),
        AdminTlsCert = cert,
        AdminTlsKey = key,
        CacheDir = Path.Combine(_files, "cache"),
    };

    private async Task<string> WriteAsync(string name, string text)
    {
        var path = Path.Combine(_files, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }
}
