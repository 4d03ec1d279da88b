using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gateway.Proxy.IntegrationTests.Admin;
using Gateway.Proxy.Proxying;
using Gateway.TestSupport;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>
/// Services that speak TLS to their upstream, over real handshakes on loopback: the upstream's certificate verified
/// against the service's CA certificates (or the system's store), its name and chain depth checked, and a client
/// certificate presented to an upstream that requires one.
/// </summary>
public sealed class UpstreamTlsTests : IAsyncLifetime
{
    private static readonly TestAuthority Root = TestAuthority.CreateRoot("Upstream Root CA");
    private static readonly TestAuthority OtherRoot = TestAuthority.CreateRoot("Other Root CA");
    private static readonly TestAuthority Intermediate = Root.CreateIntermediate("Upstream Intermediate CA");
    private static readonly TestAuthority ClientRoot = TestAuthority.CreateRoot("Client Root CA");
    private static readonly IssuedCertificate GatewayClient = ClientRoot.IssueClient("gateway-client");

    private readonly LogLines _log = new();
    private EchoUpstream _direct = null!;
    private EchoUpstream _throughIntermediate = null!;
    private EchoUpstream _mutual = null!;
    private GatewayTestHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _direct = await EchoUpstream.StartAsync("direct", Https(Root.IssueServer("upstream", "api.internal")));
        _throughIntermediate = await EchoUpstream.StartAsync("intermediate", Https(Intermediate.IssueServer("upstream")));
        var mutual = Https(Root.IssueServer("upstream"));
        mutual.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
        mutual.ClientCertificateValidation = (certificate, _, _) => IssuedBy(ClientRoot, certificate);
        _mutual = await EchoUpstream.StartAsync("mutual", mutual);
        _gateway = await GatewayTestHost.StartAsync(log: _log);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _direct.DisposeAsync();
        await _throughIntermediate.DisposeAsync();
        await _mutual.DisposeAsync();
    }

    [Fact]
    public async Task Upstream_certificate_signed_by_a_listed_ca_is_accepted()
    {
        var config = new GatewayConfig();
        var ca = config.CaCertificate(Root.CertPem);
        Serve(config, $$"""{"url": "{{_direct.Url}}", "tls_verify": true, "ca_certificates": ["{{ca}}"]}""");

        var reply = await EchoReply.ReadAsync(await _gateway.Client.GetAsync("/tls"));

        Assert.Equal("direct", reply.Upstream);
    }

    [Fact]
    public async Task Upstream_certificate_of_another_ca_is_refused_with_502_a_log_line_and_a_metric()
    {
        var config = new GatewayConfig();
        var ca = config.CaCertificate(OtherRoot.CertPem);
        Serve(config, $$"""{"url": "{{_direct.Url}}", "tls_verify": true, "ca_certificates": ["{{ca}}"]}""");

        var response = await _gateway.Client.GetAsync("/tls");

        await ProxyingTests.AssertKongErrorAsync(response, HttpStatusCode.BadGateway, "An invalid response was received from the upstream server");
        Assert.Equal(0, _direct.RequestCount);
        Assert.Contains(_log.Lines, line => line.StartsWith("Warning: service 'secure': TLS handshake with upstream " + _direct.Url, StringComparison.Ordinal)
                                            && line.Contains("certificate not trusted", StringComparison.Ordinal));
        Assert.Equal(1, _gateway.Metrics.UpstreamTlsFailures("secure", "untrusted"));
        Assert.Contains("tollgate_upstream_tls_failures_total{service=\"secure\",kind=\"untrusted\"} 1", _gateway.Metrics.Render());
    }

    [Fact]
    public async Task Without_ca_certificates_the_system_store_decides()
    {
        var config = new GatewayConfig();
        Serve(config, $$"""{"url": "{{_direct.Url}}", "tls_verify": true}""");

        var response = await _gateway.Client.GetAsync("/tls");

        // The test root is in no system store: verification on means the certificate is refused.
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(1, _gateway.Metrics.UpstreamTlsFailures("secure", "untrusted"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"tls_verify\": false,")]
    public async Task Without_verification_any_certificate_is_accepted(string verify)
    {
        var config = new GatewayConfig();
        var ca = config.CaCertificate(OtherRoot.CertPem);
        Serve(config, $$"""{ {{verify}} "url": "{{_direct.Url}}", "ca_certificates": ["{{ca}}"]}""");

        var reply = await EchoReply.ReadAsync(await _gateway.Client.GetAsync("/tls"));

        Assert.Equal("direct", reply.Upstream);
    }

    [Fact]
    public async Task The_name_checked_is_the_host_sent_upstream_the_preserved_one_included()
    {
        var config = new GatewayConfig();
        var ca = config.CaCertificate(Root.CertPem);
        Serve(config, $$"""{"url": "{{_direct.Url}}", "tls_verify": true, "ca_certificates": ["{{ca}}"]}""",
            """{"paths": ["/tls"], "preserve_host": true}""");

        var named = await SendAsync("api.internal");
        var unnamed = await SendAsync("elsewhere.example");

        Assert.Equal("api.internal", (await EchoReply.ReadAsync(named)).Header("host"));
        Assert.Equal(HttpStatusCode.BadGateway, unnamed.StatusCode);
        Assert.Contains(_log.Lines, line => line.Contains("certificate does not match the name 'elsewhere.example'", StringComparison.Ordinal));
        Assert.Equal(1, _gateway.Metrics.UpstreamTlsFailures("secure", "name_mismatch"));
    }

    [Theory]
    [InlineData("\"tls_verify_depth\": 0,", HttpStatusCode.BadGateway)]
    [InlineData("\"tls_verify_depth\": 1,", HttpStatusCode.OK)]
    [InlineData("", HttpStatusCode.OK)]
    public async Task Tls_verify_depth_limits_the_intermediate_certificates(string depth, HttpStatusCode expected)
    {
        var config = new GatewayConfig();
        var ca = config.CaCertificate(Root.CertPem);
        Serve(config, $$"""{ {{depth}} "url": "{{_throughIntermediate.Url}}", "tls_verify": true, "ca_certificates": ["{{ca}}"]}""");

        var response = await _gateway.Client.GetAsync("/tls");

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK ? 0 : 1, _gateway.Metrics.UpstreamTlsFailures("secure", "chain_too_long"));
    }

    [Fact]
    public async Task An_upstream_that_requires_a_client_certificate_gets_the_services_one()
    {
        var without = new GatewayConfig();
        Serve(without, $$"""{"url": "{{_mutual.Url}}"}""");
        var refused = await _gateway.Client.GetAsync("/tls");

        var with = new GatewayConfig();
        var certificate = with.Certificate(GatewayClient.ChainPem, GatewayClient.KeyPem);
        Serve(with, $$$"""{"url": "{{{_mutual.Url}}}", "client_certificate": {"id": "{{{certificate}}}"}}""");
        var reply = await EchoReply.ReadAsync(await _gateway.Client.GetAsync("/tls"));

        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.Equal(1, _mutual.RequestCount);
        Assert.Equal("CN=gateway-client", reply.ClientCertificate);
    }

    [Fact]
    public async Task Services_with_the_same_tls_settings_share_a_pool_and_a_changed_ca_gets_a_new_one()
    {
        var clients = _gateway.Services.GetRequiredService<UpstreamClients>();
        var config = new GatewayConfig();
        var ca = config.CaCertificate(Root.CertPem);
        var verified = $$"""{"url": "{{_direct.Url}}", "tls_verify": true, "ca_certificates": ["{{ca}}"]}""";
        config.Route(config.Service("other", verified), """{"paths": ["/other"]}""");
        Serve(config, verified);
        await EchoReply.ReadAsync(await _gateway.Client.GetAsync("/tls"));
        await EchoReply.ReadAsync(await _gateway.Client.GetAsync("/other"));
        var shared = clients.Count;

        var changed = new GatewayConfig();
        var otherCa = changed.CaCertificate(OtherRoot.CertPem);
        Serve(changed, $$"""{"url": "{{_direct.Url}}", "tls_verify": true, "ca_certificates": ["{{otherCa}}"]}""");
        var refused = await _gateway.Client.GetAsync("/tls");

        Assert.Equal(1, shared);
        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.Equal(2, clients.Count);
    }

    /// <summary>Routes /tls to the service "secure" with <paramref name="serviceFields"/>, and swaps the configuration in.</summary>
    private void Serve(GatewayConfig config, string serviceFields, string routeFields = """{"paths": ["/tls"]}""")
    {
        config.Route(config.Service("secure", serviceFields), routeFields);
        _gateway.Apply(config.Build());
    }

    private Task<HttpResponseMessage> SendAsync(string host)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/tls");
        request.Headers.Host = host;
        return _gateway.Client.SendAsync(request);
    }

    private static HttpsConnectionAdapterOptions Https(IssuedCertificate certificate) =>
        new() { ServerCertificate = certificate.Certificate, ServerCertificateChain = certificate.Intermediates };

    private static bool IssuedBy(TestAuthority authority, X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
