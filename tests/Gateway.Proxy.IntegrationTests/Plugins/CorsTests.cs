using System.Net;
using Gateway.Proxy.IntegrationTests.Proxying;

namespace Gateway.Proxy.IntegrationTests.Plugins;

public sealed class CorsTests : PluginTestBase
{
    private void Configure(string cors)
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        config.Plugin("cors", cors, route: route);
        Gateway.Apply(config.Build());
    }

    private Task<HttpResponseMessage> PreflightAsync(string origin, string headers = "X-Custom")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return Client.SendAsync(request);
    }

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_is_answered_by_the_gateway()
    {
        Configure("""{"origins": ["https://app.example.com"], "methods": ["GET", "POST"], "max_age": 600, "credentials": true}""");

        var response = await PreflightAsync("https://app.example.com");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://app.example.com", Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("GET,POST", Header(response, "Access-Control-Allow-Methods"));
        Assert.Equal("X-Custom", Header(response, "Access-Control-Allow-Headers"));
        Assert.Equal("600", Header(response, "Access-Control-Max-Age"));
        Assert.Equal("true", Header(response, "Access-Control-Allow-Credentials"));
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Fact]
    public async Task A_preflight_from_another_origin_gets_no_allow_origin_header()
    {
        Configure("""{"origins": ["https://app.example.com"]}""");

        var response = await PreflightAsync("https://evil.example.net");

        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Fact]
    public async Task Regex_origins_match_whole_origins_only()
    {
        Configure("""{"origins": ["https://.*\\.example\\.com"]}""");

        Assert.Equal("https://a.example.com", Header(await PreflightAsync("https://a.example.com"), "Access-Control-Allow-Origin"));
        Assert.Null(Header(await PreflightAsync("https://a.example.com.evil.net"), "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_simple_request_is_forwarded_and_gets_the_cors_headers()
    {
        Configure("""{"origins": ["*"], "exposed_headers": ["X-Total"]}""");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api");
        request.Headers.Add("Origin", "https://anywhere.example");
        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("X-Total", Header(response, "Access-Control-Expose-Headers"));
        Assert.Equal(1, Upstream.RequestCount);
    }

    [Fact]
    public async Task Preflight_continue_forwards_the_preflight_to_the_upstream()
    {
        Configure("""{"origins": ["*"], "preflight_continue": true}""");

        await PreflightAsync("https://a.example.com");

        Assert.Equal(1, Upstream.RequestCount);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content) : null;
}
