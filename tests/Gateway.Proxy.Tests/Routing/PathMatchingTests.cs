using Gateway.Proxy.Routing;
using static Gateway.Proxy.Tests.Routing.RoutingFixtures;

namespace Gateway.Proxy.Tests.Routing;

public class PathMatchingTests
{
    [Theory]
    [InlineData("/foo", true)]
    [InlineData("/foo/bar", true)]
    [InlineData("/foobar", true)]
    [InlineData("/Foo", false)]
    [InlineData("/fo", false)]
    [InlineData("/bar/foo", false)]
    public void A_plain_path_is_a_case_sensitive_character_prefix(string path, bool matches)
    {
        var table = Table(Route("r", paths: ["/foo"]));

        Assert.Equal(matches, table.Matched(Request(path)) is not null);
    }

    [Theory]
    [InlineData("/users/42", true)]
    [InlineData("/users/42/orders", true)]
    [InlineData("/api/users/42", false)]
    [InlineData("/users/abc", false)]
    public void A_regex_path_is_anchored_at_the_start_only(string path, bool matches)
    {
        var table = Table(Route("r", paths: ["~/users/\\d+"]));

        Assert.Equal(matches, table.Matched(Request(path)) is not null);
    }

    [Fact]
    public void The_matched_path_is_the_prefix_or_the_whole_regex_match()
    {
        var prefix = Table(Route("r", paths: ["/api"]));
        Assert.True(prefix.TryMatch(Request("/api/users"), out var prefixMatch));
        Assert.Equal("/api", prefixMatch.MatchedPath);

        var regex = Table(Route("r", paths: ["~/v\\d+/"]));
        Assert.True(regex.TryMatch(Request("/v12/users"), out var regexMatch));
        Assert.Equal("/v12/", regexMatch.MatchedPath);
    }

    [Fact]
    public void Named_captures_are_kept()
    {
        var table = Table(Route("r", paths: ["~/users/(?<user>[^/]+)/orders/(?<order>\\d+)"]));

        Assert.True(table.TryMatch(Request("/users/ada/orders/7"), out var match));
        Assert.Equal("ada", match.Capture("user"));
        Assert.Equal("7", match.Capture("order"));
        Assert.Null(match.Capture("missing"));
    }

    [Fact]
    public void Numbered_captures_are_kept()
    {
        var table = Table(Route("r", paths: ["~/(\\w+)/(\\d+)"]));

        Assert.True(table.TryMatch(Request("/orders/7"), out var match));
        Assert.Equal("orders", match.Capture("1"));
        Assert.Equal("7", match.Capture("2"));
    }

    [Fact]
    public void A_route_without_paths_matches_every_path_and_has_no_matched_path()
    {
        var table = Table(Route("r", hosts: ["example.com"]));

        Assert.True(table.TryMatch(Request("/anything/at/all"), out var match));
        Assert.Null(match.MatchedPath);
    }

    [Fact]
    public void Any_of_several_paths_matches()
    {
        var table = Table(Route("r", paths: ["/a", "/bb", "~/c\\d"]));

        Assert.Equal("r", table.Matched(Request("/a")));
        Assert.Equal("r", table.Matched(Request("/bb/x")));
        Assert.Equal("r", table.Matched(Request("/c1")));
        Assert.Null(table.Matched(Request("/d")));
    }

    [Fact]
    public void No_route_means_no_match()
    {
        Assert.False(Table().TryMatch(Request("/"), out _));
        Assert.False(RoutingTable.Empty.TryMatch(Request("/"), out _));
    }
}
