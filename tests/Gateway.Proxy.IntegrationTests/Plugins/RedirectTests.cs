using System.Net;
using Gateway.Proxy.Entities;
using Gateway.Proxy.IntegrationTests.Proxying;

namespace Gateway.Proxy.IntegrationTests.Plugins;

/// <summary>redirect through the real proxy: the echo upstream behind the route must not be reached.</summary>
public sealed class RedirectTests : PluginTestBase
{
    private GatewayConfig WithRedirect(string pluginConfig, string path = "/api")
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config, path);
        config.Plugin("redirect", pluginConfig, route: route);
        return config;
    }

    private void Redirect(string pluginConfig, string path = "/api") => Gateway.Apply(WithRedirect(pluginConfig, path).Build());

    private async Task<HttpResponseMessage> SendAsync(string path, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (host is not null) request.Headers.Host = host;
        return await Client.SendAsync(request);
    }

    [Fact]
    public async Task By_default_the_client_is_sent_to_the_location_with_a_301()
    {
        Redirect("""{"location": "https://new.example.com/moved"}""");

        var response = await SendAsync("/api/demo?foo=bar");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("https://new.example.com/moved", response.Headers.Location!.OriginalString);
        Assert.Equal("redirecting", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Theory]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task The_status_is_the_configured_one(int status)
    {
        Redirect($$"""{"location": "https://new.example.com/", "status_code": {{status}}}""");

        Assert.Equal(status, (int)(await SendAsync("/api")).StatusCode);
    }

    [Fact]
    public async Task Keep_incoming_path_sends_the_requests_path_and_query_to_the_locations_host()
    {
        Redirect("""{"location": "https://new.example.com/some-path", "keep_incoming_path": true}""");

        var response = await SendAsync("/api/demo?foo=bar");

        Assert.Equal("https://new.example.com/api/demo?foo=bar", response.Headers.Location!.OriginalString);
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Fact]
    public async Task A_request_redirect_to_https_keeps_the_host_the_client_asked_for_and_drops_its_port()
    {
        Redirect("""{"status_code": 302, "tollgate_request_redirect": {"scheme": "https"}}""");

        var response = await SendAsync("/api/a?b=c", host: "shop.example.com:8080");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://shop.example.com/api/a?b=c", response.Headers.Location!.OriginalString);
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Fact]
    public async Task A_request_redirect_to_another_host_keeps_the_port_the_client_used()
    {
        Redirect("""{"status_code": 302, "tollgate_request_redirect": {"hostname": "example.org"}}""");

        var response = await SendAsync("/api", host: "shop.example.com:8080");

        Assert.Equal("http://example.org:8080/api", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_request_redirect_replaces_the_matched_prefix_or_the_whole_path()
    {
        Redirect("""{"status_code": 302, "tollgate_request_redirect": {"prefix_match": "/original-prefix", "replace_prefix_match": "/replacement-prefix"}}""",
            path: "/original-prefix");
        var prefixed = await SendAsync("/original-prefix/lemon", host: "gw.test");
        Redirect("""{"tollgate_request_redirect": {"hostname": "example.org", "port": 8443, "scheme": "https", "replace_full_path": "/full"}}""",
            path: "/original-prefix");
        var full = await SendAsync("/original-prefix/lemon?x=1", host: "gw.test");

        Assert.Equal("http://gw.test/replacement-prefix/lemon", prefixed.Headers.Location!.OriginalString);
        Assert.Equal("https://example.org:8443/full?x=1", full.Headers.Location!.OriginalString);
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Fact]
    public async Task Authentication_runs_first_so_only_known_clients_are_redirected()
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        var alice = config.Consumer("alice");
        config.Credential(EntityCatalog.KeyAuthCredentials, alice, """{"key": "alice-key"}""");
        config.Plugin("key-auth", route: route);
        config.Plugin("redirect", """{"location": "https://new.example.com/"}""", route: route);
        Gateway.Apply(config.Build());

        using var anonymous = new HttpRequestMessage(HttpMethod.Get, "/api");
        using var known = new HttpRequestMessage(HttpMethod.Get, "/api");
        known.Headers.Add("apikey", "alice-key");

        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.SendAsync(anonymous)).StatusCode);
        Assert.Equal(HttpStatusCode.MovedPermanently, (await Client.SendAsync(known)).StatusCode);
        Assert.Equal(0, Upstream.RequestCount);
    }
}
