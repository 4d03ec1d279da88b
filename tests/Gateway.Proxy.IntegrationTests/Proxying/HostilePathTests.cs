using System.Text.Json;
using Gateway.Proxy.Entities;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>
/// The attack on a gateway with key-auth on <c>/admin</c> and an open catch-all <c>/</c> to the same upstream: every
/// spelling of <c>/admin</c> must either meet key-auth or be refused, and the upstream must receive the very path that
/// routing matched. Requests go over raw sockets, byte for byte as written.
/// </summary>
public sealed class HostilePathTests : IAsyncLifetime
{
    private const string Key = "hostile-test-key";
    private EchoUpstream _upstream = null!;
    private GatewayTestHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await EchoUpstream.StartAsync("echo");
        var config = new GatewayConfig();
        var service = config.Service("svc", $$"""{"url": "{{_upstream.Url}}"}""");
        var admin = config.Route(service, """{"paths": ["/admin"], "strip_path": false}""");
        config.Plugin("key-auth", route: admin);
        var reports = config.Route(service, """{"paths": ["~/reports/\\d+$"], "strip_path": false}""");
        config.Plugin("key-auth", route: reports);
        config.Route(service, """{"paths": ["/"], "strip_path": false}""");
        config.Route(service, """{"paths": ["/files"], "strip_path": false, "allow_encoded_slashes": true}""");
        config.Route(service, """{"paths": ["/strip"], "strip_path": true}""");
        var consumer = config.Consumer("alice");
        config.Credential(EntityCatalog.KeyAuthCredentials, consumer, $$"""{"key": "{{Key}}"}""");
        _gateway = await GatewayTestHost.StartAsync(config.Build());
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Theory]
    [InlineData("/%2fadmin", "encoded slash")]
    [InlineData("/%2Fadmin", "encoded slash")]
    [InlineData("/%5cadmin", "encoded slash")]
    [InlineData("/public%2F..%2Fadmin", "ambiguous segment")]
    [InlineData("/public/..%2Fadmin", "ambiguous segment")]
    [InlineData("/files/..%2Fadmin", "ambiguous segment")]
    [InlineData("/\\admin", "backslash")]
    [InlineData("/public\\..\\admin", "backslash")]
    [InlineData("/%2e%2e/admin", "encoded dot segment")]
    [InlineData("/public/%2E%2E/admin", "encoded dot segment")]
    [InlineData("/public/.%2e/admin", "encoded dot segment")]
    [InlineData("/%252fadmin", "double percent-encoding")]
    [InlineData("/%2561dmin", "double percent-encoding")]
    [InlineData("/admin%01", "control character")]
    [InlineData("/admin%7f", "control character")]
    [InlineData("/x%0d%0aX-Injected:%201", "control character")]
    [InlineData("/%c0%ae%c0%ae/admin", "invalid percent-encoding")]
    [InlineData("/a%zz", "invalid percent-encoding")]
    [InlineData("/public/..;/admin", "ambiguous segment")]
    [InlineData("/;x/admin", "ambiguous segment")]
    public async Task Ambiguous_paths_are_refused_with_400_and_never_forwarded(string target, string reason)
    {
        var response = await RawHttp.GetAsync(_gateway.Port, target);

        Assert.Equal(400, response.Status);
        Assert.Equal("application/json; charset=utf-8", response.Header("content-type"));
        Assert.StartsWith("tollgate/", response.Header("server"));
        Assert.Equal("Bad request: " + reason + " in the path", MessageOf(response));
        Assert.Equal(0, _upstream.RequestCount);
    }

    [Theory]
    [InlineData("/admin%00")]
    [InlineData("/admin\u0001")]
    [InlineData("/admin x")]
    public async Task Paths_the_server_cannot_read_are_refused_before_routing(string target)
    {
        var response = await RawHttp.GetAsync(_gateway.Port, target);

        Assert.Equal(400, response.Status);
        Assert.Equal(0, _upstream.RequestCount);
    }

    [Theory]
    [InlineData("//admin")]
    [InlineData("/.//admin")]
    [InlineData("/./admin")]
    [InlineData("/public/../admin")]
    [InlineData("/public/x/../../admin/")]
    [InlineData("/%61dmin")]
    [InlineData("/%61%64%6d%69%6e/users")]
    [InlineData("///admin//users")]
    [InlineData("/reports//42")]
    [InlineData("/reports/%34%32")]
    [InlineData("/x/../reports/42")]
    public async Task Other_spellings_of_a_guarded_path_meet_its_plugins(string target)
    {
        var response = await RawHttp.GetAsync(_gateway.Port, target);

        Assert.Equal(401, response.Status);
        Assert.Equal(0, _upstream.RequestCount);
    }

    [Fact]
    public async Task An_absolute_form_request_target_is_routed_by_its_canonical_path()
    {
        var response = await RawHttp.GetAsync(_gateway.Port, $"http://127.0.0.1:{_gateway.Port}/public/../admin");

        Assert.Equal(401, response.Status);
        Assert.Equal(0, _upstream.RequestCount);
    }

    [Theory]
    [InlineData("//admin//users/./me", "/admin/users/me")]
    [InlineData("/admin/%7Ealice/a%3bb", "/admin/~alice/a%3Bb")]
    [InlineData("/admin/caf%c3%a9?x=%2F..", "/admin/caf%C3%A9")]
    [InlineData("/public/../admin/x/..", "/admin/")]
    public async Task The_upstream_receives_the_path_that_was_routed(string target, string expected)
    {
        var response = await RawHttp.GetAsync(_gateway.Port, target, "apikey: " + Key);

        Assert.Equal(200, response.Status);
        Assert.Equal(expected, PathSeenUpstream(response));
    }

    [Theory]
    [InlineData("/strip//x/../y", "/y")]
    [InlineData("/strip/./%79", "/y")]
    [InlineData("/strip/../strip/y", "/y")]
    public async Task Strip_path_removes_the_prefix_from_the_canonical_path(string target, string expected)
    {
        var response = await RawHttp.GetAsync(_gateway.Port, target);

        Assert.Equal(200, response.Status);
        Assert.Equal(expected, PathSeenUpstream(response));
    }

    [Theory]
    [InlineData("/files/group%2Fproject/raw", "/files/group%2Fproject/raw")]
    [InlineData("/files/a%2fb%5cc", "/files/a%2Fb%5Cc")]
    public async Task A_route_that_allows_encoded_slashes_forwards_them_still_encoded(string target, string expected)
    {
        var response = await RawHttp.GetAsync(_gateway.Port, target);

        Assert.Equal(200, response.Status);
        Assert.Equal(expected, PathSeenUpstream(response));
    }

    [Theory]
    [InlineData("CONNECT /public HTTP/1.1", 405)]
    [InlineData("CONNECT 127.0.0.1:443 HTTP/1.1", 400)]
    public async Task A_tunnel_request_is_refused_before_routing(string requestLine, int status)
    {
        var response = await RawHttp.SendAsync(_gateway.Port, $"{requestLine}\r\nHost: 127.0.0.1:{_gateway.Port}\r\nConnection: close\r\n\r\n");

        Assert.Equal(status, response.Status);
        Assert.Equal(0, _upstream.RequestCount);
    }

    [Fact]
    public async Task The_asterisk_form_is_not_a_path()
    {
        var response = await RawHttp.SendAsync(_gateway.Port, $"OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1:{_gateway.Port}\r\nConnection: close\r\n\r\n");

        Assert.Equal(400, response.Status);
        Assert.Equal(0, _upstream.RequestCount);
    }

    private static string PathSeenUpstream(RawResponse response)
    {
        using var document = JsonDocument.Parse(response.Body);
        return document.RootElement.GetProperty("path").GetString()!;
    }

    private static string MessageOf(RawResponse response)
    {
        using var document = JsonDocument.Parse(response.Body);
        return document.RootElement.GetProperty("message").GetString()!;
    }
}
