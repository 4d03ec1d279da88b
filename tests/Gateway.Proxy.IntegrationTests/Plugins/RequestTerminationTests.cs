using System.Net;
using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.IntegrationTests.Proxying;

namespace Gateway.Proxy.IntegrationTests.Plugins;

/// <summary>request-termination through the real proxy: the echo upstream behind the route must not be reached when a request is answered.</summary>
public sealed class RequestTerminationTests : PluginTestBase
{
    private Guid _route;

    private GatewayConfig WithTermination(string pluginConfig)
    {
        var config = new GatewayConfig();
        (_, _route) = ServiceAndRoute(config);
        config.Plugin("request-termination", pluginConfig, route: _route);
        return config;
    }

    private void Terminate(string pluginConfig) => Gateway.Apply(WithTermination(pluginConfig).Build());

    [Fact]
    public async Task By_default_every_request_is_answered_503_with_kongs_message_and_the_upstream_is_not_reached()
    {
        Terminate("{}");

        var response = await Client.PostAsync("/api", new StringContent("payload"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("""{"message":"Service unavailable"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Fact]
    public async Task A_500_gets_kongs_words_for_it_and_a_configured_message_replaces_them()
    {
        Terminate("""{"status_code": 500}""");
        var defaulted = await GetAsync("/api");
        Terminate("""{"status_code": 403, "message": "Closed for \"maintenance\""}""");
        var configured = await GetAsync("/api");

        Assert.Equal(HttpStatusCode.InternalServerError, defaulted.StatusCode);
        Assert.Equal("An unexpected error occurred", await MessageOf(defaulted));
        Assert.Equal(HttpStatusCode.Forbidden, configured.StatusCode);
        Assert.Equal("Closed for \"maintenance\"", await MessageOf(configured));
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Fact]
    public async Task A_status_kong_has_no_words_for_is_answered_with_an_empty_body()
    {
        Terminate("""{"status_code": 418}""");

        var response = await GetAsync("/api");

        Assert.Equal((HttpStatusCode)418, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_raw_body_is_sent_as_configured_with_its_content_type()
    {
        Terminate("""{"status_code": 200, "body": "<h1>Back soon</h1>", "content_type": "text/html"}""");

        var response = await GetAsync("/api");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("<h1>Back soon</h1>", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/html", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Fact]
    public async Task A_share_answers_about_that_part_of_the_requests_and_the_rest_reach_the_upstream()
    {
        Terminate("""{"status_code": 500, "tollgate_share": 0.25}""");

        var answered = 0;
        for (var i = 0; i < 400; i++)
        {
            using var response = await GetAsync("/api");
            if (response.StatusCode == HttpStatusCode.InternalServerError) answered++;
            else Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // 100 expected; 60 and 140 are more than four standard deviations (8.7) away.
        Assert.InRange(answered, 60, 140);
        Assert.Equal(400 - answered, Upstream.RequestCount);
    }

    [Fact]
    public async Task With_a_trigger_only_requests_naming_it_in_a_header_or_the_query_are_answered()
    {
        Terminate("""{"status_code": 410, "trigger": "X-Stop"}""");

        var passes = await GetAsync("/api?other=1");
        var byHeader = await GetAsync("/api", ("x-stop", "yes"));
        var byQuery = await GetAsync("/api?X-Stop");

        Assert.Equal(HttpStatusCode.OK, passes.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, byHeader.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, byQuery.StatusCode);
        Assert.Equal(1, Upstream.RequestCount);
    }

    [Fact]
    public async Task Echo_describes_the_request_and_the_matched_route()
    {
        Terminate("""{"status_code": 200, "echo": true}""");

        var response = await Client.PostAsync("/api/items?tag=a&tag=b&q=1", new StringContent("hello", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var request = echo["request"]!;
        Assert.Equal("POST", request["method"]!.GetValue<string>());
        Assert.Equal("/api/items", request["path"]!.GetValue<string>());
        Assert.Equal("http", request["scheme"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", request["host"]!.GetValue<string>());
        Assert.Equal(Gateway.Port, request["port"]!.GetValue<int>());
        Assert.Equal("hello", request["raw_body"]!.GetValue<string>());
        Assert.Equal("text/plain; charset=utf-8", request["headers"]!["content-type"]!.GetValue<string>());
        Assert.Equal("""["a","b"]""", request["query"]!["tag"]!.ToJsonString());
        Assert.Equal("1", request["query"]!["q"]!.GetValue<string>());
        Assert.Equal(_route.ToString(), echo["matched_route"]!["id"]!.GetValue<string>());
        Assert.Equal("echo", echo["matched_service"]!["name"]!.GetValue<string>());
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Fact]
    public async Task Authentication_runs_first_so_a_terminated_route_still_refuses_clients_without_credentials()
    {
        var config = WithTermination("""{"status_code": 500}""");
        var alice = config.Consumer("alice");
        config.Credential(EntityCatalog.KeyAuthCredentials, alice, """{"key": "alice-key"}""");
        config.Plugin("key-auth", route: _route);
        Gateway.Apply(config.Build());

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/api")).StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, (await GetAsync("/api", ("apikey", "alice-key"))).StatusCode);
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Fact]
    public async Task Scoped_to_a_consumer_it_blocks_that_consumer_only()
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        var alice = config.Consumer("alice");
        config.Credential(EntityCatalog.KeyAuthCredentials, alice, """{"key": "alice-key"}""");
        var mallory = config.Consumer("mallory");
        config.Credential(EntityCatalog.KeyAuthCredentials, mallory, """{"key": "mallory-key"}""");
        config.Plugin("key-auth", route: route);
        config.Plugin("request-termination", """{"status_code": 403, "message": "Blocked"}""", consumer: mallory);
        Gateway.Apply(config.Build());

        var blocked = await GetAsync("/api", ("apikey", "mallory-key"));

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api", ("apikey", "alice-key"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Equal("Blocked", await MessageOf(blocked));
        Assert.Equal(1, Upstream.RequestCount);
    }
}
