using System.Net;
using Gateway.Proxy.Entities;
using Gateway.Proxy.IntegrationTests.Proxying;
using Gateway.Proxy.Networking;
using Gateway.Proxy.PluginEngine;

namespace Gateway.Proxy.IntegrationTests.Plugins;

/// <summary>The test client connects from 127.0.0.1, which is not a trusted proxy here.</summary>
public sealed class IpRestrictionTests : PluginTestBase
{
    private GatewayConfig WithIpRestriction(string pluginConfig)
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        config.Plugin("ip-restriction", pluginConfig, route: route);
        return config;
    }

    [Fact]
    public async Task A_denied_client_gets_403_with_kongs_message()
    {
        Gateway.Apply(WithIpRestriction("""{"deny": ["127.0.0.1"]}""").Build());

        var response = await GetAsync("/api");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Your IP address is not allowed", await MessageOf(response));
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Fact]
    public async Task A_client_outside_the_allow_list_is_refused_and_one_inside_it_passes()
    {
        Gateway.Apply(WithIpRestriction("""{"allow": ["10.0.0.0/8", "2001:db8::/32"]}""").Build());
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/api")).StatusCode);

        Gateway.Apply(WithIpRestriction("""{"allow": ["10.0.0.0/8", "127.0.0.0/8"]}""").Build(version: 2));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api")).StatusCode);
    }

    [Fact]
    public async Task Deny_wins_over_allow_so_one_address_of_an_allowed_block_can_be_refused()
    {
        Gateway.Apply(WithIpRestriction("""{"allow": ["127.0.0.0/8"], "deny": ["127.0.0.1"]}""").Build());

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/api")).StatusCode);
    }

    [Fact]
    public async Task A_deny_list_lets_everyone_else_through()
    {
        Gateway.Apply(WithIpRestriction("""{"deny": ["10.0.0.0/8", "::1"]}""").Build());

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api")).StatusCode);
    }

    [Fact]
    public async Task Status_and_message_of_a_refusal_are_configurable()
    {
        Gateway.Apply(WithIpRestriction("""{"deny": ["127.0.0.1"], "status": 404, "message": "Nothing \"here\""}""").Build());

        var response = await GetAsync("/api");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Nothing \"here\"", await MessageOf(response));
    }

    [Fact]
    public async Task A_spoofed_x_forwarded_for_from_an_untrusted_peer_is_ignored()
    {
        Gateway.Apply(WithIpRestriction("""{"allow": ["203.0.113.7"]}""").Build());

        var response = await GetAsync("/api", ("X-Forwarded-For", "203.0.113.7"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Your IP address is not allowed", await MessageOf(response));
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Fact]
    public async Task A_spoofed_x_forwarded_for_cannot_escape_a_deny_list()
    {
        Gateway.Apply(WithIpRestriction("""{"deny": ["127.0.0.0/8"]}""").Build());

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/api", ("X-Forwarded-For", "198.51.100.1"))).StatusCode);
    }

    [Fact]
    public async Task A_consumer_scoped_restriction_applies_to_that_consumer_only()
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        var alice = config.Consumer("alice");
        config.Credential(EntityCatalog.KeyAuthCredentials, alice, """{"key": "alice-key"}""");
        var mallory = config.Consumer("mallory");
        config.Credential(EntityCatalog.KeyAuthCredentials, mallory, """{"key": "mallory-key"}""");
        config.Plugin("key-auth", route: route);
        config.Plugin("ip-restriction", """{"deny": ["127.0.0.1"]}""", consumer: mallory);
        Gateway.Apply(config.Build());

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api", ("apikey", "alice-key"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/api", ("apikey", "mallory-key"))).StatusCode);
    }
}

/// <summary>The gateway trusts the loopback address as a proxy in front of it, so X-Forwarded-For names the client.</summary>
public sealed class IpRestrictionBehindTrustedProxyTests : PluginTestBase
{
    protected override Task<GatewayTestHost> StartGatewayAsync() =>
        GatewayTestHost.StartAsync(trustedProxies: [Network("127.0.0.1"), Network("10.0.0.0/8")]);

    private static IPNetwork Network(string text) => IpNetworks.TryParse(text, out var network) ? network : throw new ArgumentException(text);

    private void Restrict(string pluginConfig)
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        config.Plugin("ip-restriction", pluginConfig, route: route);
        Gateway.Apply(config.Build());
    }

    [Fact]
    public async Task The_client_reported_by_a_trusted_proxy_is_checked()
    {
        Restrict("""{"allow": ["203.0.113.0/24"]}""");

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api", ("X-Forwarded-For", "203.0.113.7"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/api", ("X-Forwarded-For", "198.51.100.1"))).StatusCode);
    }

    [Fact]
    public async Task A_chain_of_trusted_proxies_is_walked_from_the_right_to_the_first_untrusted_address()
    {
        Restrict("""{"allow": ["203.0.113.7"]}""");

        // The client claims 203.0.113.7, but the first proxy we trust (10.1.1.1) saw 198.51.100.9.
        var spoofed = await GetAsync("/api", ("X-Forwarded-For", "203.0.113.7, 198.51.100.9, 10.1.1.1"));
        var genuine = await GetAsync("/api", ("X-Forwarded-For", "198.51.100.9, 203.0.113.7, 10.1.1.1"));

        Assert.Equal(HttpStatusCode.Forbidden, spoofed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }

    [Fact]
    public async Task Ipv6_clients_are_matched_against_ipv6_blocks()
    {
        Restrict("""{"allow": ["2001:db8::/32"]}""");

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api", ("X-Forwarded-For", "2001:db8::5"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/api", ("X-Forwarded-For", "2001:db9::5"))).StatusCode);
    }

    [Fact]
    public async Task A_garbage_entry_stops_the_walk_at_the_last_trusted_address()
    {
        Restrict("""{"deny": ["10.0.0.0/8"]}""");

        var response = await GetAsync("/api", ("X-Forwarded-For", "203.0.113.7, not-an-address, 10.2.2.2"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
