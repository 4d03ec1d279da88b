using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Gateway.Proxy.IntegrationTests.Admin;
using Gateway.Proxy.Settings;
using Gateway.Proxy.Store.Postgres;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.EndToEnd;

/// <summary>
/// Real TLS on the proxy's TLS listener: the default certificate from PEM files (as a mounted Kubernetes TLS Secret
/// provides them), a certificate configured for an SNI through the Admin API, and requests proxied over TLS.
/// </summary>
public class TlsTests(PostgresClassFixture postgres) : IClassFixture<PostgresClassFixture>
{
    [Fact]
    public async Task The_default_certificate_comes_from_files_and_configured_snis_get_their_own()
    {
        var cs = await postgres.Server.CreateDatabaseAsync();
        await Migrator.MigrateAsync(cs, CancellationToken.None);
        await using var upstream = await EchoUpstream.StartAsync("secure");
        var files = Directory.CreateTempSubdirectory("tollgate-tls-").FullName;
        var fallback = TestCertificate.Create("default.example");
        await File.WriteAllTextAsync(Path.Combine(files, "tls.crt"), fallback.Cert);
        await File.WriteAllTextAsync(Path.Combine(files, "tls.key"), fallback.Key);
        var tls = Loopback.FreeAddress();
        await using var gateway = await InProcessGateway.StartAsync(cs, null, s => s with
        {
            ProxyTlsListen = tls,
            ProxyTlsCert = Path.Combine(files, "tls.crt"),
            ProxyTlsKey = Path.Combine(files, "tls.key"),
        });
        await Loopback.CreateServiceWithRouteAsync(gateway.Admin, "secure", upstream.Url, "/secure");

        // The route reaches the proxy through Postgres' notification: wait for it rather than assume it.
        var routed = DateTime.UtcNow.AddSeconds(10);
        (HttpStatusCode Status, string? Subject) first;
        do first = await GetOverTlsAsync(tls, "anything.example", "/secure");
        while (first.Status != HttpStatusCode.OK && DateTime.UtcNow < routed && await Delay());
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("CN=default.example", first.Subject);

        var api = TestCertificate.Create("api.example");
        using var created = await gateway.Admin.PostAsync("/certificates", new StringContent(api.Json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var certificateId = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        using var sni = await gateway.Admin.PostAsync("/snis", new FormUrlEncodedContent(
            [new("name", "api.example"), new("certificate.id", certificateId!)]));
        Assert.Equal(HttpStatusCode.Created, sni.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        string? served;
        do served = (await GetOverTlsAsync(tls, "api.example", "/secure")).Subject;
        while (served != "CN=api.example" && DateTime.UtcNow < deadline && await Delay());
        Assert.Equal("CN=api.example", served);
        Assert.Equal("CN=default.example", (await GetOverTlsAsync(tls, "other.example", "/secure")).Subject);
        Directory.Delete(files, recursive: true);
    }

    [Fact]
    public void Certificate_files_that_are_not_pem_stop_the_start_with_one_line()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "not a certificate");
        try
        {
            var error = Assert.Throws<SettingsException>(() => Tls.DefaultCertificate.Load(file, file));
            Assert.Contains("GATEWAY_PROXY_TLS_CERT", error.Message);
            Assert.DoesNotContain('\n', error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(20);
        return true;
    }

    /// <summary>A GET over TLS with the given SNI; returns the status and the subject of the certificate served.</summary>
    private static async Task<(HttpStatusCode Status, string? Subject)> GetOverTlsAsync(ListenAddress tls, string serverName, string path)
    {
        string? subject = null;
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                TargetHost = serverName,
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    subject = certificate is null ? null : new X509Certificate2(certificate).Subject;
                    return true;
                },
            },
        };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{tls.Port}{path}");
        request.Headers.Host = serverName;
        using var response = await client.SendAsync(request);
        return (response.StatusCode, subject);
    }
}
