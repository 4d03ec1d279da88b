using System.Net;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Networking;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>
/// Headers an upstream trusts because the gateway sets them: the consumer's identity (only authentication plugins
/// set it) and the forwarded headers (believed only from GATEWAY_TRUSTED_IPS peers).
/// </summary>
public sealed class TrustedHeaderTests : IAsyncLifetime
{
    private const string Key = "trusted-header-key";
    private EchoUpstream _upstream = null!;
    private Guid _consumer;
    private Guid _credential;
    private GatewayTestHost _direct = null!;
    private GatewayTestHost _behindBalancer = null!;

    public async Task InitializeAsync()
    {
        _upstream = await EchoUpstream.StartAsync("echo");
        var config = new GatewayConfig();
        var service = config.Service("svc", $$"""{"url": "{{_upstream.Url}}"}""");
        var guarded = config.Route(service, """{"paths": ["/guarded"]}""");
        config.Plugin("key-auth", route: guarded);
        config.Route(service, """{"paths": ["/open"]}""");
        config.Route(service, """{"paths": ["/secure"], "protocols": ["https"], "https_redirect_status_code": 301}""");
        _consumer = config.Consumer("alice");
        _credential = config.Credential(EntityCatalog.KeyAuthCredentials, _consumer, $$"""{"key": "{{Key}}"}""");
        _direct = await GatewayTestHost.StartAsync(config.Build());
        IpNetworks.TryParse("127.0.0.1", out var loopback);
        _behindBalancer = await GatewayTestHost.StartAsync(config.Build(), trustedProxies: [loopback]);
    }

    public async Task DisposeAsync()
    {
        await _direct.DisposeAsync();
        await _behindBalancer.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    public static TheoryData<string, string> ForgedIdentity => new()
    {
        { "X-Consumer-ID", "00000000-0000-0000-0000-000000000001" },
        { "X-Consumer-Username", "admin" },
        { "X-Consumer-Custom-ID", "root" },
        { "X-Consumer-Groups", "admins" },
        { "X-Credential-Identifier", "admin-key" },
        { "X-Anonymous-Consumer", "false" },
        { "X-Anonymous-Groups", "admins" },
        { "X-Authenticated-Userid", "root" },
        { "x-authenticated-scope", "admin:all" },
        { "X-AUTHENTICATED-GROUPS", "admins" },
        { "X-Credential-Username", "admin" },
        { "X-Consumer-Tier", "gold" },
    };

    [Theory]
    [MemberData(nameof(ForgedIdentity))]
    public async Task A_forged_identity_header_never_reaches_the_upstream_of_an_open_route(string name, string value)
    {
        var reply = await EchoReply.ReadAsync(await SendAsync(_direct, "/open", (name, value)));

        Assert.Null(reply.Header(name));
    }

    [Theory]
    [MemberData(nameof(ForgedIdentity))]
    public async Task An_authenticated_request_carries_only_the_gateways_identity_headers(string name, string value)
    {
        var reply = await EchoReply.ReadAsync(await SendAsync(_direct, "/guarded", (name, value), ("apikey", Key)));

        var expected = name.ToLowerInvariant() switch
        {
            "x-consumer-id" => _consumer.ToString(),
            "x-consumer-username" => "alice",
            "x-credential-identifier" => _credential.ToString(),
            _ => null,
        };
        Assert.NotEqual(value, reply.Header(name));
        Assert.Equal(expected, reply.Header(name));
    }

    private static readonly (string, string)[] ForgedForwarding =
    [
        ("X-Forwarded-For", "203.0.113.9"),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Host", "bank.example"),
        ("X-Forwarded-Port", "443"),
        ("X-Forwarded-Path", "/admin"),
        ("X-Forwarded-Prefix", "/internal"),
        ("X-Real-IP", "198.18.0.1"),
        ("Forwarded", "for=203.0.113.9;proto=https;host=bank.example"),
        ("X-Forwarded-Ssl", "on"),
        ("X-Forwarded-Scheme", "https"),
        ("X-Forwarded-Server", "bank.example"),
        ("X-Original-Host", "bank.example"),
        ("X-Original-URL", "/admin"),
        ("X-Rewrite-URL", "/admin"),
    ];

    private static readonly string[] OtherClaims = ["forwarded", "x-forwarded-ssl", "x-forwarded-scheme", "x-forwarded-server", "x-original-host"];

    [Fact]
    public async Task Forwarded_headers_from_an_untrusted_client_are_replaced_by_what_the_gateway_saw()
    {
        var reply = await EchoReply.ReadAsync(await SendAsync(_direct, "/open/x", ForgedForwarding));

        Assert.Equal("127.0.0.1", reply.Header("x-forwarded-for"));
        Assert.Equal("http", reply.Header("x-forwarded-proto"));
        Assert.Equal("127.0.0.1", reply.Header("x-forwarded-host"));
        Assert.Equal(_direct.Port.ToString(), reply.Header("x-forwarded-port"));
        Assert.Equal("/open/x", reply.Header("x-forwarded-path"));
        Assert.Equal("/open", reply.Header("x-forwarded-prefix"));
        Assert.Equal("127.0.0.1", reply.Header("x-real-ip"));
        Assert.All(OtherClaims, name => Assert.Null(reply.Header(name)));
        Assert.Null(reply.Header("x-original-url"));
        Assert.Null(reply.Header("x-rewrite-url"));
    }

    [Fact]
    public async Task Forwarded_headers_from_a_trusted_proxy_are_passed_on()
    {
        var reply = await EchoReply.ReadAsync(await SendAsync(_behindBalancer, "/open/x", ForgedForwarding));

        Assert.Equal("203.0.113.9, 127.0.0.1", reply.Header("x-forwarded-for"));
        Assert.Equal("https", reply.Header("x-forwarded-proto"));
        Assert.Equal("bank.example", reply.Header("x-forwarded-host"));
        Assert.Equal("443", reply.Header("x-forwarded-port"));
        Assert.Equal("/admin", reply.Header("x-forwarded-path"));
        Assert.Equal("/internal", reply.Header("x-forwarded-prefix"));
        Assert.Equal("203.0.113.9", reply.Header("x-real-ip"));
        Assert.All(OtherClaims, name => Assert.NotNull(reply.Header(name)));
        Assert.Null(reply.Header("x-original-url"));
        Assert.Null(reply.Header("x-rewrite-url"));
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_the_real_ip_is_the_client_it_reports()
    {
        var reply = await EchoReply.ReadAsync(await SendAsync(_behindBalancer, "/open", ("X-Forwarded-For", "198.51.100.7")));

        Assert.Equal("198.51.100.7", reply.Header("x-real-ip"));
        Assert.Equal("198.51.100.7, 127.0.0.1", reply.Header("x-forwarded-for"));
    }

    [Fact]
    public async Task An_https_only_route_believes_x_forwarded_proto_only_from_a_trusted_proxy()
    {
        var direct = await SendAsync(_direct, "/secure/a?b=1", ("X-Forwarded-Proto", "https"));
        var behindBalancer = await SendAsync(_behindBalancer, "/secure/a?b=1", ("X-Forwarded-Proto", "https"));
        var plainBehindBalancer = await SendAsync(_behindBalancer, "/secure/a?b=1");

        Assert.Equal(HttpStatusCode.MovedPermanently, direct.StatusCode);
        Assert.Equal("https://127.0.0.1/secure/a?b=1", direct.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, behindBalancer.StatusCode);
        Assert.Equal(HttpStatusCode.MovedPermanently, plainBehindBalancer.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(GatewayTestHost gateway, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return await gateway.Client.SendAsync(request);
    }
}
