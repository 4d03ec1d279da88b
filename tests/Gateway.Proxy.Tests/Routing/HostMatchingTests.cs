using static Gateway.Proxy.Tests.Routing.RoutingFixtures;

namespace Gateway.Proxy.Tests.Routing;

public class HostMatchingTests
{
    [Theory]
    [InlineData("example.com", true)]
    [InlineData("EXAMPLE.com", true)]
    [InlineData("example.com:8000", true)]
    [InlineData("example.com:1234", true)]
    [InlineData("www.example.com", false)]
    [InlineData("example.org", false)]
    public void A_plain_host_matches_the_same_name_in_any_case_on_any_port(string hostHeader, bool matches)
    {
        var table = Table(Route("r", hosts: ["example.com"]));

        Assert.Equal(matches, table.Matched(Request("/", host: hostHeader)) is not null);
    }

    [Theory]
    [InlineData("api.example.com", true)]
    [InlineData("a.b.example.com", true)]
    [InlineData("API.Example.COM:8443", true)]
    [InlineData("example.com", false)]
    [InlineData("apiexample.com", false)]
    public void A_leading_wildcard_matches_any_subdomain(string hostHeader, bool matches)
    {
        var table = Table(Route("r", hosts: ["*.example.com"]));

        Assert.Equal(matches, table.Matched(Request("/", host: hostHeader)) is not null);
    }

    [Theory]
    [InlineData("example.com", true)]
    [InlineData("example.org", true)]
    [InlineData("example.co.uk", true)]
    [InlineData("www.example.com", false)]
    [InlineData("example", false)]
    public void A_trailing_wildcard_matches_any_ending(string hostHeader, bool matches)
    {
        var table = Table(Route("r", hosts: ["example.*"]));

        Assert.Equal(matches, table.Matched(Request("/", host: hostHeader)) is not null);
    }

    [Theory]
    [InlineData("example.com:8080", 8000, true)]
    [InlineData("example.com:8000", 8000, false)]
    [InlineData("example.com", 8080, true)]
    [InlineData("example.com", 8000, false)]
    public void A_host_with_a_port_needs_that_port_from_the_Host_header_or_else_the_connection(string hostHeader, int localPort, bool matches)
    {
        var table = Table(Route("r", hosts: ["example.com:8080"]));

        Assert.Equal(matches, table.Matched(Request("/", host: hostHeader, localPort: localPort)) is not null);
    }

    [Fact]
    public void A_wildcard_host_with_a_port_needs_both()
    {
        var table = Table(Route("r", hosts: ["*.example.com:9000"]));

        Assert.Equal("r", table.Matched(Request("/", host: "a.example.com:9000")));
        Assert.Null(table.Matched(Request("/", host: "a.example.com:9001")));
    }

    [Fact]
    public void Routes_for_other_hosts_are_not_candidates_but_host_less_routes_are()
    {
        var table = Table(
            Route("a", hosts: ["a.example.com"], paths: ["/"]),
            Route("any", paths: ["/"]));

        Assert.Equal("a", table.Matched(Request("/", host: "a.example.com")));
        Assert.Equal("any", table.Matched(Request("/", host: "b.example.com")));
        Assert.Equal("any", table.Matched(Request("/", host: "")));
    }

    [Fact]
    public void A_plain_host_route_and_a_covering_wildcard_route_share_the_host()
    {
        var table = Table(
            Route("wild", hosts: ["*.example.com"], paths: ["/"]),
            Route("plain", hosts: ["api.example.com"], paths: ["/v1"]));

        Assert.Equal("plain", table.Matched(Request("/v1", host: "api.example.com")));
        Assert.Equal("wild", table.Matched(Request("/v2", host: "api.example.com")));
        Assert.Equal("wild", table.Matched(Request("/v1", host: "other.example.com")));
    }

    [Fact]
    public void The_same_host_with_different_ports_keeps_each_port_rule()
    {
        var table = Table(Route("r", hosts: ["example.com:81", "example.com:82"]));

        Assert.Equal("r", table.Matched(Request("/", host: "example.com:82")));
        Assert.Null(table.Matched(Request("/", host: "example.com:83")));
    }

    [Fact]
    public void Bracketed_ipv6_hosts_keep_their_port_apart()
    {
        var table = Table(Route("r", hosts: ["[::1]"]));

        Assert.Equal("r", table.Matched(Request("/", host: "[::1]:8000")));
    }
}
