using Gateway.Proxy.Admin;
using Gateway.Proxy.Store.Memory;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>
/// CORS on the Admin API: none at all unless GATEWAY_ADMIN_GUI_ORIGINS lists origins; then only those get
/// Access-Control-* headers (their own origin, never *), with Vary: Origin.
/// </summary>
public class AdminCorsTests
{
    private const string Gui = "https://admin.example.com";
    private const string LocalGui = "http://localhost:3000";
    private static readonly string[] Listed = [Gui, LocalGui];

    [Theory]
    // listed, method, origin, preflight → expected Access-Control-Allow-Origin (null: no CORS header at all)
    [InlineData(true, "OPTIONS", Gui, true, Gui)]
    [InlineData(true, "OPTIONS", LocalGui, true, LocalGui)]
    [InlineData(true, "GET", Gui, false, Gui)]
    [InlineData(true, "OPTIONS", "https://evil.example", true, null)]
    [InlineData(true, "OPTIONS", "https://admin.example.com.evil.net", true, null)]
    [InlineData(true, "OPTIONS", "http://admin.example.com", true, null)]
    [InlineData(true, "OPTIONS", "null", true, null)]
    [InlineData(true, "GET", "https://evil.example", false, null)]
    [InlineData(true, "GET", null, false, null)]
    [InlineData(false, "OPTIONS", Gui, true, null)]
    [InlineData(false, "GET", Gui, false, null)]
    [InlineData(false, "GET", null, false, null)]
    public async Task Only_listed_origins_get_cors_headers(bool listed, string method, string? origin, bool preflight, string? allowed)
    {
        await using var host = await AdminApiHost.StartAsync(new MemoryConfigStore(),
            new AdminApiOptions { Database = "off", GuiOrigins = listed ? Listed : [] });
        using var request = new HttpRequestMessage(new HttpMethod(method), "/services");
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (preflight)
        {
            request.Headers.Add("Access-Control-Request-Method", "PATCH");
            request.Headers.Add("Access-Control-Request-Headers", "content-type, kong-admin-token");
        }
        using var response = await host.Client.Http.SendAsync(request);

        Assert.Equal(method == "OPTIONS" ? 204 : 200, (int)response.StatusCode);
        Assert.Equal(listed ? "Origin" : null, Header(response, "Vary"));
        Assert.Equal(allowed, Header(response, "Access-Control-Allow-Origin"));
        if (allowed is null)
        {
            Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        }
        else if (preflight)
        {
            Assert.Equal("GET, HEAD, PUT, PATCH, POST, DELETE", Header(response, "Access-Control-Allow-Methods"));
            Assert.Equal("Content-Type, Authorization, Kong-Admin-Token", Header(response, "Access-Control-Allow-Headers"));
        }
        else
        {
            Assert.Null(Header(response, "Access-Control-Allow-Methods"));
        }
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task With_a_token_the_listed_gui_gets_its_preflight_without_the_token_and_can_read_the_401()
    {
        await using var host = await AdminApiHost.StartAsync(new MemoryConfigStore(),
            new AdminApiOptions { Database = "off", GuiOrigins = Listed, Token = "t0ken" });

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/services");
        preflight.Headers.Add("Origin", Gui);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var answer = await host.Client.Http.SendAsync(preflight);
        Assert.Equal(204, (int)answer.StatusCode);
        Assert.Equal(Gui, Header(answer, "Access-Control-Allow-Origin"));

        using var get = new HttpRequestMessage(HttpMethod.Get, "/services");
        get.Headers.Add("Origin", Gui);
        using var refused = await host.Client.Http.SendAsync(get);
        Assert.Equal(401, (int)refused.StatusCode);
        Assert.Equal(Gui, Header(refused, "Access-Control-Allow-Origin"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;
}
