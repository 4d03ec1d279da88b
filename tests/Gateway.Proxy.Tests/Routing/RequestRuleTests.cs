using static Gateway.Proxy.Tests.Routing.RoutingFixtures;

namespace Gateway.Proxy.Tests.Routing;

/// <summary>Methods, headers, SNIs and protocols.</summary>
public class RequestRuleTests
{
    [Theory]
    [InlineData("GET", true)]
    [InlineData("POST", true)]
    [InlineData("DELETE", false)]
    public void Methods_match_any_listed_method(string method, bool matches)
    {
        var table = Table(Route("r", methods: ["GET", "POST"]));

        Assert.Equal(matches, table.Matched(Request("/", method: method)) is not null);
    }

    [Theory]
    [InlineData("v1", true)]
    [InlineData("V2", true)]
    [InlineData("v3", false)]
    public void A_header_matches_any_of_its_values_ignoring_case(string value, bool matches)
    {
        var table = Table(Route("r", headers: new() { ["X-Version"] = ["v1", "v2"] }));

        Assert.Equal(matches, table.Matched(Request("/", headers: [("x-version", value)])) is not null);
    }

    [Fact]
    public void A_missing_header_does_not_match()
    {
        var table = Table(Route("r", headers: new() { ["X-Version"] = ["v1"] }));

        Assert.Null(table.Matched(Request("/")));
    }

    [Theory]
    [InlineData("Mobile-iOS-17", true)]
    [InlineData("mobile-android", true)]
    [InlineData("desktop", false)]
    public void A_tilde_star_value_is_a_case_insensitive_regex(string value, bool matches)
    {
        var table = Table(Route("r", headers: new() { ["x-client"] = ["~*^mobile-"] }));

        Assert.Equal(matches, table.Matched(Request("/", headers: [("X-Client", value)])) is not null);
    }

    [Fact]
    public void All_header_names_must_match()
    {
        var table = Table(Route("r", headers: new() { ["x-a"] = ["1"], ["x-b"] = ["2"] }));

        Assert.Equal("r", table.Matched(Request("/", headers: [("x-a", "1"), ("x-b", "2")])));
        Assert.Null(table.Matched(Request("/", headers: [("x-a", "1")])));
    }

    [Fact]
    public void Any_received_value_of_a_repeated_header_can_match()
    {
        var table = Table(Route("r", headers: new() { ["x-tag"] = ["blue"] }));

        Assert.Equal("r", table.Matched(Request("/", headers: [("x-tag", "red"), ("x-tag", "blue")])));
    }

    [Fact]
    public void Snis_are_checked_on_tls_connections_only()
    {
        var table = Table(Route("r", snis: ["secure.example.com"], protocols: ["http", "https"]));

        Assert.Equal("r", table.Matched(Request("/", https: true, sni: "secure.example.com")));
        Assert.Equal("r", table.Matched(Request("/", https: true, sni: "SECURE.example.com.")));
        Assert.Null(table.Matched(Request("/", https: true, sni: "other.example.com")));
        Assert.Null(table.Matched(Request("/", https: true, sni: null)));
        Assert.Equal("r", table.Matched(Request("/", https: false)));
    }

    [Fact]
    public void An_http_only_route_does_not_serve_https_requests()
    {
        var table = Table(Route("r", paths: ["/"], protocols: ["http"]));

        Assert.Equal("r", table.Matched(Request("/", https: false)));
        Assert.Null(table.Matched(Request("/", https: true)));
    }

    [Fact]
    public void An_https_only_route_matches_http_requests_to_send_them_to_https()
    {
        var table = Table(Route("r", paths: ["/"], protocols: ["https"]));

        Assert.True(table.TryMatch(Request("/", https: false), out var match));
        Assert.True(match.Route.RequiresHttps(requestIsHttps: false));
        Assert.True(table.TryMatch(Request("/", https: true), out match));
        Assert.False(match.Route.RequiresHttps(requestIsHttps: true));
    }

    [Theory]
    [InlineData("/?page=2", true)]
    [InlineData("/?a=b&page=2&c", true)]
    [InlineData("/?page=3&page=2", true)]
    [InlineData("/?page=%32", true)]
    [InlineData("/?p%61ge=2", true)]
    [InlineData("/?Page=2", false)]
    [InlineData("/?page=22", false)]
    [InlineData("/?page", false)]
    [InlineData("/?pages=2", false)]
    [InlineData("/", false)]
    public void A_query_parameter_matches_by_its_exact_decoded_name_and_any_listed_value(string path, bool matches)
    {
        var table = Table(Route("r", paths: ["/"]) with { TollgateQueries = new() { ["page"] = ["1", "2"] } });

        Assert.Equal(matches, table.Matched(Request(path)) is not null);
    }

    [Theory]
    [InlineData("/?q=hello+world", true)]
    [InlineData("/?q=hello%20world", true)]
    [InlineData("/?q=Hello+world", false)]
    [InlineData("/?q=hello", false)]
    public void A_query_value_pattern_is_case_sensitive_and_sees_the_decoded_value(string path, bool matches)
    {
        var table = Table(Route("r", paths: ["/"]) with { TollgateQueries = new() { ["q"] = ["~^hello world$"] } });

        Assert.Equal(matches, table.Matched(Request(path)) is not null);
    }

    [Fact]
    public void Every_query_parameter_of_a_route_must_match()
    {
        var table = Table(Route("r", paths: ["/"]) with { TollgateQueries = new() { ["a"] = ["1"], ["b"] = ["2"] } });

        Assert.NotNull(table.Matched(Request("/?b=2&a=1")));
        Assert.Null(table.Matched(Request("/?a=1")));
    }
}
