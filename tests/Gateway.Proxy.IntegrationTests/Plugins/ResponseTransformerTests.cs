using System.Text.Json;
using Gateway.Proxy.IntegrationTests.Proxying;

namespace Gateway.Proxy.IntegrationTests.Plugins;

public sealed class ResponseTransformerTests : PluginTestBase
{
    private void Configure(string plugin)
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        config.Plugin("response-transformer", plugin, route: route);
        Gateway.Apply(config.Build());
    }

    [Fact]
    public async Task Response_headers_are_transformed()
    {
        Configure("""
            {"remove": {"headers": ["X-Internal"]},
             "rename": {"headers": ["X-Old:X-New"]},
             "add": {"headers": ["X-Served-By:tollgate"]}}
            """);

        var response = await GetAsync("/api", ("x-echo-header-X-Internal", "secret"), ("x-echo-header-X-Old", "value"));

        Assert.False(response.Headers.Contains("X-Internal"));
        Assert.Equal("value", response.Headers.GetValues("X-New").Single());
        Assert.Equal("tollgate", response.Headers.GetValues("X-Served-By").Single());
    }

    [Fact]
    public async Task Json_body_fields_are_transformed_with_their_types()
    {
        Configure("""
            {"remove": {"json": ["headers"]},
             "rename": {"json": ["upstream:backend"]},
             "add": {"json": ["version:2", "beta:true", "label:x"], "json_types": ["number", "boolean"]}}
            """);

        var response = await GetAsync("/api");
        var text = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;

        Assert.False(root.TryGetProperty("headers", out _));
        Assert.Equal("echo", root.GetProperty("backend").GetString());
        Assert.Equal(2, root.GetProperty("version").GetInt32());
        Assert.True(root.GetProperty("beta").GetBoolean());
        Assert.Equal("x", root.GetProperty("label").GetString());
        Assert.Equal(text.Length, (int)response.Content.Headers.ContentLength!);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_left_alone()
    {
        Configure("""{"add": {"json": ["a:1"]}}""");

        var response = await GetAsync("/api", ("x-echo-status", "204"));

        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }
}
