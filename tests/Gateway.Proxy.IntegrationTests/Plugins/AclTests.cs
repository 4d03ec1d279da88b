using System.Net;
using Gateway.Proxy.Entities;
using Gateway.Proxy.IntegrationTests.Proxying;

namespace Gateway.Proxy.IntegrationTests.Plugins;

public sealed class AclTests : PluginTestBase
{
    /// <summary>key-auth on /api, admin (group "admins") and viewer (group "viewers"), and an acl with the given config.</summary>
    private GatewayConfig Configure(string aclConfig)
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        var admin = config.Consumer("admin");
        config.Credential(EntityCatalog.KeyAuthCredentials, admin, """{"key": "admin-key"}""");
        config.Credential(EntityCatalog.Acls, admin, """{"group": "admins"}""");
        config.Credential(EntityCatalog.Acls, admin, """{"group": "staff"}""");
        var viewer = config.Consumer("viewer");
        config.Credential(EntityCatalog.KeyAuthCredentials, viewer, """{"key": "viewer-key"}""");
        config.Credential(EntityCatalog.Acls, viewer, """{"group": "viewers"}""");
        config.Plugin("key-auth", route: route);
        config.Plugin("acl", aclConfig, route: route);
        return config;
    }

    [Fact]
    public async Task An_allow_list_lets_members_through_with_their_groups_and_refuses_others_with_403()
    {
        Gateway.Apply(Configure("""{"allow": ["admins"]}""").Build());

        var reply = await EchoReply.ReadAsync(await GetAsync("/api", ("apikey", "admin-key")));
        Assert.Equal("admins, staff", reply.Header("X-Consumer-Groups"));

        var refused = await GetAsync("/api", ("apikey", "viewer-key"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("You cannot consume this service", await MessageOf(refused));
    }

    [Fact]
    public async Task A_deny_list_refuses_its_members_only()
    {
        Gateway.Apply(Configure("""{"deny": ["viewers"], "hide_groups_header": true}""").Build());

        var reply = await EchoReply.ReadAsync(await GetAsync("/api", ("apikey", "admin-key")));
        Assert.Null(reply.Header("X-Consumer-Groups"));
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/api", ("apikey", "viewer-key"))).StatusCode);
    }

    [Fact]
    public async Task Without_authentication_the_acl_answers_401()
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        config.Plugin("acl", """{"allow": ["admins"]}""", route: route);
        Gateway.Apply(config.Build());

        var response = await GetAsync("/api");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, Upstream.RequestCount);
    }
}
