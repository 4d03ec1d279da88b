using System.Net;
using System.Text;
using Gateway.Proxy.Entities;
using Gateway.Proxy.IntegrationTests.Proxying;

namespace Gateway.Proxy.IntegrationTests.Plugins;

public sealed class BasicAuthTests : PluginTestBase
{
    private Guid _alice;

    private static string Basic(string userAndPassword) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userAndPassword));

    private GatewayConfig WithBasicAuth(string pluginConfig = "{}")
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        _alice = config.Consumer("alice", customId: "A-1");
        config.Credential(EntityCatalog.BasicAuthCredentials, _alice, """{"username": "Aladdin", "password": "OpenSesame"}""");
        config.Plugin("basic-auth", pluginConfig, route: route);
        return config;
    }

    [Fact]
    public async Task Without_credentials_the_answer_is_401_with_a_basic_challenge()
    {
        Gateway.Apply(WithBasicAuth().Build());

        var response = await GetAsync("/api");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Unauthorized", await MessageOf(response));
        Assert.Equal("Basic realm=\"service\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Fact]
    public async Task Valid_credentials_reach_the_upstream_with_the_consumer_headers()
    {
        Gateway.Apply(WithBasicAuth().Build());

        var reply = await EchoReply.ReadAsync(await GetAsync("/api", ("Authorization", "Basic QWxhZGRpbjpPcGVuU2VzYW1l")));

        Assert.Equal(_alice.ToString(), reply.Header("X-Consumer-ID"));
        Assert.Equal("alice", reply.Header("X-Consumer-Username"));
        Assert.Equal("A-1", reply.Header("X-Consumer-Custom-ID"));
        Assert.Equal("Aladdin", reply.Header("X-Credential-Identifier"));
        Assert.Equal("Basic QWxhZGRpbjpPcGVuU2VzYW1l", reply.Header("Authorization"));
    }

    [Fact]
    public async Task Repeated_requests_keep_working_and_a_wrong_password_after_a_right_one_is_still_refused()
    {
        Gateway.Apply(WithBasicAuth().Build());

        for (var i = 0; i < 3; i++)
            Assert.Equal("alice", (await EchoReply.ReadAsync(await GetAsync("/api", ("Authorization", Basic("Aladdin:OpenSesame"))))).Header("X-Consumer-Username"));
        var wrong = await GetAsync("/api", ("Authorization", Basic("Aladdin:OpenSesamE")));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(3, Upstream.RequestCount);
    }

    [Fact]
    public async Task A_changed_password_takes_effect_with_the_next_configuration()
    {
        Gateway.Apply(WithBasicAuth().Build());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api", ("Authorization", Basic("Aladdin:OpenSesame")))).StatusCode);

        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        var alice = config.Consumer("alice");
        config.Credential(EntityCatalog.BasicAuthCredentials, alice, """{"username": "Aladdin", "password": "NewSesame"}""");
        config.Plugin("basic-auth", route: route);
        Gateway.Apply(config.Build(version: 2));

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/api", ("Authorization", Basic("Aladdin:OpenSesame")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api", ("Authorization", Basic("Aladdin:NewSesame")))).StatusCode);
    }

    [Theory]
    [InlineData("Aladdin:wrong")]
    [InlineData("Nobody:OpenSesame")]
    [InlineData("Aladdin:")]
    [InlineData("Aladdin")]
    [InlineData(":OpenSesame")]
    [InlineData("")]
    public async Task Wrong_or_incomplete_credentials_are_refused_with_401(string userAndPassword)
    {
        Gateway.Apply(WithBasicAuth().Build());

        var response = await GetAsync("/api", ("Authorization", Basic(userAndPassword)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Unauthorized", await MessageOf(response));
        Assert.Equal("Basic realm=\"service\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Theory]
    [InlineData("Basic")]
    [InlineData("Basic ")]
    [InlineData("Basic !!!not-base64!!!")]
    [InlineData("Basic QWxhZGRpbjpPcGVuU2VzYW1")]
    [InlineData("BasicQWxhZGRpbjpPcGVuU2VzYW1l")]
    [InlineData("Bearer QWxhZGRpbjpPcGVuU2VzYW1l")]
    [InlineData("Digest username=\"Aladdin\"")]
    [InlineData("QWxhZGRpbjpPcGVuU2VzYW1l")]
    [InlineData("Basic //79/w==")]
    public async Task Malformed_authorization_headers_are_refused_with_401_never_500(string header)
    {
        Gateway.Apply(WithBasicAuth().Build());

        var response = await GetAsync("/api", ("Authorization", header));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Unauthorized", await MessageOf(response));
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Fact]
    public async Task The_scheme_is_case_insensitive_and_surrounding_spaces_are_ignored()
    {
        Gateway.Apply(WithBasicAuth().Build());

        var reply = await EchoReply.ReadAsync(await GetAsync("/api", ("Authorization", "  basic   QWxhZGRpbjpPcGVuU2VzYW1l  ")));

        Assert.Equal("alice", reply.Header("X-Consumer-Username"));
    }

    [Fact]
    public async Task Proxy_authorization_is_read_first_and_hiding_it_leaves_the_upstreams_own_authorization()
    {
        Gateway.Apply(WithBasicAuth("""{"hide_credentials": true}""").Build());

        var reply = await EchoReply.ReadAsync(await GetAsync("/api",
            ("Proxy-Authorization", Basic("Aladdin:OpenSesame")), ("Authorization", "Bearer for-the-upstream")));

        Assert.Equal("alice", reply.Header("X-Consumer-Username"));
        Assert.Null(reply.Header("Proxy-Authorization"));
        Assert.Equal("Bearer for-the-upstream", reply.Header("Authorization"));
    }

    [Fact]
    public async Task Hide_credentials_removes_the_authorization_header()
    {
        Gateway.Apply(WithBasicAuth("""{"hide_credentials": true}""").Build());

        var reply = await EchoReply.ReadAsync(await GetAsync("/api", ("Authorization", Basic("Aladdin:OpenSesame"))));

        Assert.Equal("alice", reply.Header("X-Consumer-Username"));
        Assert.Null(reply.Header("Authorization"));
    }

    [Fact]
    public async Task The_realm_of_the_challenge_is_configurable()
    {
        Gateway.Apply(WithBasicAuth("""{"realm": "billing"}""").Build());

        var response = await GetAsync("/api", ("Authorization", Basic("Aladdin:nope")));

        Assert.Equal("Basic realm=\"billing\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Without_valid_credentials_the_anonymous_consumer_is_used_when_configured()
    {
        var config = WithBasicAuthOrKey("basic-auth");
        Gateway.Apply(config.Build());

        var reply = await EchoReply.ReadAsync(await GetAsync("/api", ("Authorization", Basic("Aladdin:wrong"))));

        Assert.Equal("guest", reply.Header("X-Consumer-Username"));
        Assert.Equal("true", reply.Header("X-Anonymous-Consumer"));
        Assert.Null(reply.Header("X-Credential-Identifier"));
    }

    [Fact]
    public async Task With_key_auth_and_anonymous_either_credential_is_enough()
    {
        Gateway.Apply(WithBasicAuthOrKey("basic-auth", "key-auth").Build());

        var byPassword = await EchoReply.ReadAsync(await GetAsync("/api", ("Authorization", Basic("Aladdin:OpenSesame"))));
        var byKey = await EchoReply.ReadAsync(await GetAsync("/api", ("apikey", "bob-key")));
        var byNothing = await EchoReply.ReadAsync(await GetAsync("/api"));

        Assert.Equal("alice", byPassword.Header("X-Consumer-Username"));
        Assert.Equal("Aladdin", byPassword.Header("X-Credential-Identifier"));
        Assert.Equal("bob", byKey.Header("X-Consumer-Username"));
        Assert.Equal("guest", byNothing.Header("X-Consumer-Username"));
    }

    /// <summary>alice (basic-auth), bob (key-auth) and guest; the given auth plugins with guest as anonymous.</summary>
    private GatewayConfig WithBasicAuthOrKey(params string[] plugins)
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        var alice = config.Consumer("alice");
        config.Credential(EntityCatalog.BasicAuthCredentials, alice, """{"username": "Aladdin", "password": "OpenSesame"}""");
        var bob = config.Consumer("bob");
        config.Credential(EntityCatalog.KeyAuthCredentials, bob, """{"key": "bob-key"}""");
        config.Consumer("guest");
        foreach (var plugin in plugins) config.Plugin(plugin, """{"anonymous": "guest"}""", route: route);
        return config;
    }
}
