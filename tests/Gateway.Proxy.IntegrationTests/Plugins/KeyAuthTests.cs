using System.Net;
using Gateway.Proxy.Entities;
using Gateway.Proxy.IntegrationTests.Proxying;

namespace Gateway.Proxy.IntegrationTests.Plugins;

public sealed class KeyAuthTests : PluginTestBase
{
    private Guid _alice;

    private GatewayConfig WithKeyAuth(string pluginConfig = "{}")
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        _alice = config.Consumer("alice", customId: "A-1");
        config.Credential(EntityCatalog.KeyAuthCredentials, _alice, """{"key": "alice-secret-key"}""");
        config.Plugin("key-auth", pluginConfig, route: route);
        return config;
    }

    [Fact]
    public async Task A_request_without_a_key_gets_401_with_a_challenge()
    {
        Gateway.Apply(WithKeyAuth().Build());

        var response = await GetAsync("/api");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("No API key found in request", await MessageOf(response));
        Assert.StartsWith("Key realm=", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Fact]
    public async Task A_wrong_key_gets_401_unauthorized()
    {
        Gateway.Apply(WithKeyAuth().Build());

        var response = await GetAsync("/api", ("apikey", "not-the-key"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Unauthorized", await MessageOf(response));
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Fact]
    public async Task A_valid_key_in_a_header_reaches_the_upstream_with_the_consumer_headers()
    {
        Gateway.Apply(WithKeyAuth().Build());

        var reply = await EchoReply.ReadAsync(await GetAsync("/api", ("apikey", "alice-secret-key"), ("X-Consumer-Username", "mallory")));

        Assert.Equal(_alice.ToString(), reply.Header("X-Consumer-ID"));
        Assert.Equal("alice", reply.Header("X-Consumer-Username"));
        Assert.Equal("A-1", reply.Header("X-Consumer-Custom-ID"));
        Assert.NotNull(reply.Header("X-Credential-Identifier"));
        Assert.Null(reply.Header("X-Anonymous-Consumer"));
        Assert.Equal("alice-secret-key", reply.Header("apikey"));
    }

    [Fact]
    public async Task A_key_in_the_query_string_works_and_hide_credentials_removes_it()
    {
        Gateway.Apply(WithKeyAuth("""{"hide_credentials": true}""").Build());

        var reply = await EchoReply.ReadAsync(await GetAsync("/api?apikey=alice-secret-key&page=2"));

        Assert.Equal("alice", reply.Header("X-Consumer-Username"));
        Assert.Equal("?page=2", reply.Query);
    }

    [Fact]
    public async Task Custom_key_names_are_read_and_the_default_name_is_then_ignored()
    {
        Gateway.Apply(WithKeyAuth("""{"key_names": ["x-api-key"]}""").Build());

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/api", ("apikey", "alice-secret-key"))).StatusCode);
        var reply = await EchoReply.ReadAsync(await GetAsync("/api", ("X-API-Key", "alice-secret-key")));
        Assert.Equal("alice", reply.Header("X-Consumer-Username"));
    }

    [Fact]
    public async Task Two_keys_in_one_request_are_refused()
    {
        Gateway.Apply(WithKeyAuth().Build());

        var response = await GetAsync("/api?apikey=alice-secret-key&apikey=other");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Duplicate API key found", await MessageOf(response));
    }

    [Fact]
    public async Task Without_a_key_the_anonymous_consumer_is_used_when_configured()
    {
        var config = WithKeyAuthAndAnonymous();
        Gateway.Apply(config.Build());

        var reply = await EchoReply.ReadAsync(await GetAsync("/api"));

        Assert.Equal("guest", reply.Header("X-Consumer-Username"));
        Assert.Equal("true", reply.Header("X-Anonymous-Consumer"));
        Assert.Null(reply.Header("X-Credential-Identifier"));
    }

    [Fact]
    public async Task A_key_whose_ttl_has_passed_no_longer_works()
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        var bob = config.Consumer("bob");
        // GatewayConfig's clock starts in 2023, so a one-hour ttl has long passed.
        config.Credential(EntityCatalog.KeyAuthCredentials, bob, """{"key": "bob-key", "ttl": 3600}""");
        config.Plugin("key-auth", route: route);
        Gateway.Apply(config.Build());

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/api", ("apikey", "bob-key"))).StatusCode);
    }

    [Fact]
    public async Task A_key_in_a_json_body_is_read_when_enabled_and_the_body_still_reaches_the_upstream()
    {
        Gateway.Apply(WithKeyAuth("""{"key_in_body": true}""").Build());

        var body = new StringContent("""{"apikey": "alice-secret-key", "item": 7}""", System.Text.Encoding.UTF8, "application/json");
        var reply = await EchoReply.ReadAsync(await Client.PostAsync("/api", body));

        Assert.Equal("alice", reply.Header("X-Consumer-Username"));
        Assert.Contains("\"item\": 7", reply.Body);
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"apikey\"\r\n\r\nalice-sec")]
    [InlineData("application/x-www-form-urlencoded", "&&==&%")]
    [InlineData("application/json", "{\"apikey\": ")]
    public async Task A_body_that_does_not_parse_holds_no_key(string contentType, string text)
    {
        Gateway.Apply(WithKeyAuth("""{"key_in_body": true}""").Build());

        var body = new StringContent(text);
        body.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        var response = await Client.PostAsync("/api", body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("No API key found in request", await MessageOf(response));
    }

    private GatewayConfig WithKeyAuthAndAnonymous()
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        config.Consumer("guest");
        config.Plugin("key-auth", """{"anonymous": "guest"}""", route: route);
        return config;
    }
}
