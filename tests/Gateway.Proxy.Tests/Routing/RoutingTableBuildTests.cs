using Gateway.Proxy.Entities;
using Gateway.Proxy.LoadBalancing;
using Gateway.Proxy.Routing;
using Gateway.Proxy.Schema;
using static Gateway.Proxy.Tests.Routing.RoutingFixtures;

namespace Gateway.Proxy.Tests.Routing;

public class RoutingTableBuildTests
{
    [Fact]
    public void Routes_of_a_disabled_service_are_not_served()
    {
        var disabled = Backend with { Enabled = false };

        Assert.Null(Table(disabled, Route("r", paths: ["/"])).Matched(Request("/")));
    }

    [Fact]
    public void Routes_pointing_at_a_missing_service_are_not_served()
    {
        var route = Route("r", paths: ["/"]) with { Service = new EntityRef(Guid.NewGuid()) };

        Assert.Null(Table(route).Matched(Request("/")));
    }

    [Fact]
    public void A_route_without_service_matches_with_no_destination()
    {
        var table = Table(Route("r", paths: ["/"]) with { Service = null });

        Assert.True(table.TryMatch(Request("/"), out var match));
        Assert.Null(match.Route.Service);
    }

    [Fact]
    public void A_service_host_goes_straight_to_that_host_and_port()
    {
        var service = Backend with { Host = "orders.internal", Port = 8080, Path = "/v1" };
        var table = Table(service, Route("r", paths: ["/"]));

        Assert.True(table.TryMatch(Request("/"), out var match));
        var compiled = match.Route.Service!;
        Assert.Null(compiled.Balancer);
        Assert.Equal("http://orders.internal:8080", Assert.Single(compiled.Peers).DestinationPrefix);
        Assert.Equal("orders.internal:8080", compiled.Peers[0].HostHeader);
        Assert.Equal("/v1", compiled.BasePath);
    }

    [Theory]
    [InlineData("http", 80, "a.internal")]
    [InlineData("http", 8080, "a.internal:8080")]
    [InlineData("https", 443, "a.internal")]
    [InlineData("https", 80, "a.internal:80")]
    public void The_host_header_leaves_out_the_schemes_default_port(string scheme, int port, string expected)
    {
        var peer = UpstreamPeer.Create(scheme, "a.internal", port);

        Assert.Equal(expected, peer.HostHeader);
        Assert.Equal(scheme + "://a.internal:" + port, peer.DestinationPrefix);
    }

    [Fact]
    public void An_ipv6_address_is_bracketed()
    {
        Assert.Equal("http://[::1]:8080", UpstreamPeer.Create("http", "::1", 8080).DestinationPrefix);
    }

    [Fact]
    public void A_service_naming_an_upstream_balances_over_its_weighted_targets()
    {
        var upstream = new Upstream { Id = Guid.NewGuid(), Name = "orders.upstream", HostHeader = "orders.example.com" };
        var service = Backend with { Host = "orders.upstream", Protocol = "https", Port = 443 };
        var table = Table(service, upstream, Route("r", paths: ["/"]),
            new Target { Id = Guid.NewGuid(), Address = "10.0.0.2:8443", Weight = 10, Upstream = new EntityRef(upstream.Id) },
            new Target { Id = Guid.NewGuid(), Address = "10.0.0.1:8443", Weight = 20, Upstream = new EntityRef(upstream.Id) },
            new Target { Id = Guid.NewGuid(), Address = "10.0.0.3:8443", Weight = 0, Upstream = new EntityRef(upstream.Id) });

        Assert.True(table.TryMatch(Request("/"), out var match));
        var compiled = match.Route.Service!;
        Assert.IsType<RoundRobinBalancer>(compiled.Balancer);
        Assert.Equal(["https://10.0.0.1:8443", "https://10.0.0.2:8443"], compiled.Peers.Select(p => p.DestinationPrefix));
        Assert.Equal("orders.example.com", compiled.HostHeader);
    }

    [Fact]
    public void Services_naming_the_same_upstream_share_one_balancer()
    {
        var upstream = new Upstream { Id = Guid.NewGuid(), Name = "pool" };
        var first = Backend with { Id = Guid.NewGuid(), Name = "first", Host = "pool" };
        var second = Backend with { Id = Guid.NewGuid(), Name = "second", Host = "pool" };
        var table = Table(first, second, upstream,
            Route("a", paths: ["/a"]) with { Service = new EntityRef(first.Id) },
            Route("b", paths: ["/b"]) with { Service = new EntityRef(second.Id) });

        table.TryMatch(Request("/a"), out var a);
        table.TryMatch(Request("/b"), out var b);
        Assert.Same(a.Route.Service!.Balancer, b.Route.Service!.Balancer);
    }

    [Fact]
    public void Timeouts_become_forwarding_settings()
    {
        var service = Backend with { ReadTimeout = 1500, ConnectTimeout = 250 };
        var table = Table(service, Route("r", paths: ["/"]));

        table.TryMatch(Request("/"), out var match);
        var compiled = match.Route.Service!;
        Assert.Equal(TimeSpan.FromMilliseconds(1500), compiled.RequestConfig.ActivityTimeout);
        Assert.Equal(new UpstreamClientSettings(250, Gateway.Proxy.Tls.UpstreamTls.Unverified), compiled.ClientSettings);
        Assert.Equal(System.Net.HttpVersion.Version11, compiled.RequestConfig.Version);
    }

    [Fact]
    public void Grpc_services_are_reached_over_http2()
    {
        var service = Backend with { Protocol = "grpc", Path = null };
        var table = Table(service, Route("r", paths: ["/"], protocols: ["grpc", "grpcs"]));

        table.TryMatch(Request("/"), out var match);
        Assert.Equal(System.Net.HttpVersion.Version20, match.Route.Service!.RequestConfig.Version);
        Assert.True(match.Route.Service.IsGrpc);
    }
}
