using static Gateway.Proxy.Tests.Routing.RoutingFixtures;

namespace Gateway.Proxy.Tests.Routing;

/// <summary>Each rule of Kong's route order, shown by two routes that both match the same request.</summary>
public class RoutePriorityTests
{
    [Fact]
    public void A_route_setting_more_fields_wins_even_with_a_shorter_path()
    {
        var table = Table(
            Route("path-only", paths: ["/api/users/long/prefix"]),
            Route("path-and-method", paths: ["/api"], methods: ["GET"]));

        Assert.Equal("path-and-method", table.Matched(Request("/api/users/long/prefix")));
    }

    [Fact]
    public void Hosts_count_as_a_field_like_the_others()
    {
        var table = Table(
            Route("path-and-method", paths: ["/api"], methods: ["GET"]),
            Route("path-host-method", paths: ["/"], methods: ["GET"], hosts: ["example.com"]));

        Assert.Equal("path-host-method", table.Matched(Request("/api")));
    }

    [Fact]
    public void Plain_hosts_win_over_wildcard_hosts_with_the_same_field_count()
    {
        var table = Table(
            Route("wildcard", hosts: ["*.example.com"], paths: ["/longer/path"]),
            Route("plain", hosts: ["api.example.com"], paths: ["/"]));

        Assert.Equal("plain", table.Matched(Request("/longer/path", host: "api.example.com")));
    }

    [Fact]
    public void A_route_with_both_a_plain_and_a_wildcard_host_counts_as_wildcard()
    {
        var table = Table(
            Route("mixed", hosts: ["api.example.com", "*.example.org"], paths: ["/longer"]),
            Route("plain", hosts: ["api.example.com"], paths: ["/"]));

        Assert.Equal("plain", table.Matched(Request("/longer", host: "api.example.com")));
    }

    [Fact]
    public void More_header_names_win()
    {
        var table = Table(
            Route("one-header", headers: new() { ["x-a"] = ["1"] }, paths: ["/much/longer/path"]),
            Route("two-headers", headers: new() { ["x-a"] = ["1"], ["x-b"] = ["2"] }, paths: ["/"]));

        Assert.Equal("two-headers", table.Matched(Request("/much/longer/path", headers: [("x-a", "1"), ("x-b", "2")])));
    }

    [Fact]
    public void Header_count_outranks_having_a_regex_path()
    {
        var table = Table(
            Route("regex", headers: new() { ["x-a"] = ["1"] }, paths: ["~/api"]),
            Route("two-headers", headers: new() { ["x-a"] = ["1"], ["x-b"] = ["2"] }, paths: ["/"]));

        Assert.Equal("two-headers", table.Matched(Request("/api", headers: [("x-a", "1"), ("x-b", "2")])));
    }

    [Fact]
    public void A_regex_path_wins_over_a_longer_prefix_path()
    {
        var table = Table(
            Route("prefix", paths: ["/api/users/123"]),
            Route("regex", paths: ["~/api"]));

        Assert.Equal("regex", table.Matched(Request("/api/users/123")));
    }

    [Fact]
    public void Higher_regex_priority_wins_among_regex_paths()
    {
        var table = Table(
            Route("low", paths: ["~/api/users/\\d+"], regexPriority: 1),
            Route("high", paths: ["~/api"], regexPriority: 5));

        Assert.Equal("high", table.Matched(Request("/api/users/1")));
    }

    [Fact]
    public void Regex_priority_is_ignored_on_prefix_paths()
    {
        var table = Table(
            Route("short-high", paths: ["/api"], regexPriority: 100),
            Route("long", paths: ["/api/users"]));

        Assert.Equal("long", table.Matched(Request("/api/users/1")));
    }

    [Fact]
    public void Longer_prefix_wins()
    {
        var table = Table(
            Route("root", paths: ["/"]),
            Route("api", paths: ["/api"]),
            Route("users", paths: ["/api/users"]));

        Assert.Equal("users", table.Matched(Request("/api/users/7")));
        Assert.Equal("api", table.Matched(Request("/api/orders")));
        Assert.Equal("root", table.Matched(Request("/other")));
    }

    [Fact]
    public void Each_path_of_a_route_is_ranked_on_its_own()
    {
        // "both" has a short and a long prefix; its long prefix outranks "middle", its short one does not.
        var table = Table(
            Route("both", paths: ["/a", "/a/b/c"]),
            Route("middle", paths: ["/a/b"]));

        Assert.Equal("both", table.Matched(Request("/a/b/c/d")));
        Assert.Equal("middle", table.Matched(Request("/a/b/x")));
        Assert.Equal("both", table.Matched(Request("/a/x")));
    }

    [Fact]
    public void A_routes_regex_paths_rank_above_its_prefix_paths()
    {
        var table = Table(
            Route("mixed", paths: ["/x", "~/y/\\d+"]),
            Route("prefix", paths: ["/y/1/long/prefix"]));

        Assert.Equal("mixed", table.Matched(Request("/y/1/long/prefix")));
    }

    [Fact]
    public void Equal_priority_goes_to_the_older_route()
    {
        var older = Route("older", paths: ["/same"], createdAt: 100);
        var newer = Route("newer", paths: ["/same"], createdAt: 200);

        Assert.Equal("older", Table(newer, older).Matched(Request("/same")));
        Assert.Equal("older", Table(older, newer).Matched(Request("/same")));
    }

    [Fact]
    public void Equal_priority_and_creation_time_goes_to_the_smaller_id()
    {
        var small = Route("small", paths: ["/same"], createdAt: 100, id: Guid.Parse("00000000-0000-0000-0000-000000000001"));
        var large = Route("large", paths: ["/same"], createdAt: 100, id: Guid.Parse("ffffffff-0000-0000-0000-000000000000"));

        Assert.Equal("small", Table(large, small).Matched(Request("/same")));
        Assert.Equal("small", Table(small, large).Matched(Request("/same")));
    }

    [Fact]
    public void The_table_lists_routes_in_priority_order()
    {
        var table = Table(
            Route("root", paths: ["/"]),
            Route("regex", paths: ["~/r"]),
            Route("host", hosts: ["example.com"], paths: ["/"]),
            Route("long", paths: ["/long"]));

        var names = table.Routes.Select(r => r.Route.Name!).ToArray();
        Assert.Equal(["host", "regex", "long", "root"], names);
    }

    [Fact]
    public void A_route_with_a_tollgate_priority_is_tried_before_routes_of_as_many_fields_whatever_their_paths()
    {
        var table = Table(
            Route("kong-regex", paths: ["~/api/users$"], regexPriority: int.MaxValue),
            Route("kong-prefix", paths: ["/api/users"]),
            Route("ranked", paths: ["/api"]) with { TollgatePriority = 0 });

        Assert.Equal("ranked", table.Matched(Request("/api/users")));
    }

    [Fact]
    public void A_route_of_more_fields_is_tried_before_a_route_with_a_tollgate_priority()
    {
        var table = Table(
            Route("ranked", paths: ["/"], methods: ["GET"], headers: new() { ["x-a"] = ["1"] }) with { TollgatePriority = Gateway.Proxy.Entities.Route.MaxTollgatePriority },
            Route("named-host", paths: ["/"], hosts: ["example.com"]));

        // The ranked route's methods and headers do not count: a path and a host are more fields than a path.
        Assert.Equal("named-host", table.Matched(Request("/", headers: [("x-a", "1")])));
        Assert.Equal("ranked", table.Matched(Request("/", host: "example.org", headers: [("x-a", "1")])));
    }

    [Fact]
    public void Among_ranked_routes_the_higher_number_wins_and_fields_do_not_count()
    {
        var table = Table(
            Route("low", paths: ["/api/users"], methods: ["GET"]) with { TollgatePriority = 5 },
            Route("high", paths: ["/api"]) with { TollgatePriority = 6 });

        Assert.Equal("high", table.Matched(Request("/api/users")));
    }

    [Fact]
    public void Among_ranked_routes_plain_hosts_come_before_wildcards_and_wildcards_before_none()
    {
        var table = Table(
            Route("none", paths: ["/"]) with { TollgatePriority = 9 },
            Route("wildcard", paths: ["/"], hosts: ["*.example.com"]) with { TollgatePriority = 8 },
            Route("plain", paths: ["/"], hosts: ["api.example.com"]) with { TollgatePriority = 7 });

        Assert.Equal("plain", table.Matched(Request("/", host: "api.example.com")));
        Assert.Equal("wildcard", table.Matched(Request("/", host: "www.example.com")));
        Assert.Equal("none", table.Matched(Request("/", host: "example.org")));
    }

    [Fact]
    public void Ranked_routes_of_equal_number_go_to_the_older()
    {
        var table = Table(
            Route("newer", paths: ["/"], createdAt: 200) with { TollgatePriority = 1 },
            Route("older", paths: ["/"], createdAt: 100) with { TollgatePriority = 1 });

        Assert.Equal("older", table.Matched(Request("/")));
    }
}
