using Gateway.Operator.Translation;
using static Gateway.Operator.Tests.Translation.Cluster;
using static Gateway.Operator.Tests.Translation.GatewayApi.GatewayApiObjects;

namespace Gateway.Operator.Tests.Translation.GatewayApi;

/// <summary>HTTPRoutes on a Gateway's listeners, translated and then routed by the proxy's own routing table.</summary>
public sealed class HttpRouteTranslationTests
{
    private static readonly V1Service[] Services = [Service("web"), Service("api"), Service("admin")];

    private static readonly V1EndpointSlice[] Slices =
    [
        Slice("web", "web-1", 8080, null, Endpoint("10.0.0.1")),
        Slice("api", "api-1", 9000, null, Endpoint("10.0.1.1"), Endpoint("10.0.1.2")),
        Slice("admin", "admin-1", 7000, null, Endpoint("10.0.2.1")),
    ];

    private static TranslationOutput Translate(params Gateway.Operator.GatewayApi.HttpRoute[] routes) =>
        Cluster.Translate(Input([GatewayWith("gw", Http())], routes, Services, Slices));

    [Fact]
    public void Path_prefix_matches_whole_segments_and_exact_matches_only_the_path()
    {
        var table = Table(Translate(
            Route("prefix", Rule([Match("PathPrefix", "/foo")], To("web"))),
            Route("exact", Rule([Match("Exact", "/bar")], To("api")))));

        Assert.Equal("default.prefix.0.0.0", table.Routed("/foo"));
        Assert.Equal("default.prefix.0.0.0", table.Routed("/foo/x"));
        Assert.Null(table.Routed("/foobar"));
        Assert.Equal("default.exact.0.0.0", table.Routed("/bar"));
        Assert.Null(table.Routed("/bar/x"));
    }

    [Fact]
    public void A_trailing_slash_on_a_prefix_is_ignored_and_no_match_means_every_path()
    {
        var table = Table(Translate(
            Route("slash", Rule([Match("PathPrefix", "/docs/")], To("web"))),
            Route("all", Rule(null, To("api")))));

        Assert.Equal("default.slash.0.0.0", table.Routed("/docs"));
        Assert.Equal("default.all.0.0.0", table.Routed("/docsy"));
        Assert.Equal("default.all.0.0.0", table.Routed("/"));
    }

    [Fact]
    public void Across_routes_exact_beats_prefix_and_the_longer_prefix_wins()
    {
        var table = Table(Translate(
            Route("short", Rule([Match("PathPrefix", "/")], To("web"))),
            Route("long", Rule([Match("PathPrefix", "/v1/users")], To("api"))),
            Route("mid", Rule([Match("PathPrefix", "/v1")], To("admin"))),
            Route("exact", Rule([Match("Exact", "/v1/users")], To("web"))).CreatedOn(2026)));

        // The exact route is the newer one: were exactness not ranked, the older prefix route would take the path.
        Assert.Equal("default.exact.0.0.0", table.Routed("/v1/users"));
        Assert.Equal("default.long.0.0.0", table.Routed("/v1/users/7"));
        Assert.Equal("default.mid.0.0.0", table.Routed("/v1/orders"));
        Assert.Equal("default.short.0.0.0", table.Routed("/v2"));
    }

    [Fact]
    public void Headers_match_exactly_and_case_sensitively_or_by_pattern_and_methods_narrow()
    {
        var table = Table(Translate(
            Route("gold", Rule([Match("PathPrefix", "/", null, ("x-tier", "Gold"))], To("web"))),
            Route("version", Rule([Match("PathPrefix", "/", null, ("x-version", "^v[0-9]+$"))], To("api")).WithRegexHeader()),
            Route("post", Rule([Match("PathPrefix", "/", "POST")], To("admin")))));

        Assert.Equal("default.gold.0.0.0", table.Routed("/a", headers: ("X-Tier", "Gold")));
        Assert.Null(table.Routed("/a", headers: ("x-tier", "gold")));
        Assert.Equal("default.version.0.0.0", table.Routed("/a", headers: ("x-version", "v12")));
        Assert.Null(table.Routed("/a", headers: ("x-version", "beta")));
        Assert.Equal("default.post.0.0.0", table.Routed("/a", method: "POST"));
        Assert.Null(table.Routed("/a", method: "GET"));
    }

    [Fact]
    public void Among_equal_paths_a_method_match_wins_over_none()
    {
        var table = Table(Translate(
            Route("any", Rule([Match("PathPrefix", "/x")], To("web"))),
            Route("get", Rule([Match("PathPrefix", "/x", "GET")], To("api")))));

        Assert.Equal("default.get.0.0.0", table.Routed("/x", method: "GET"));
        Assert.Equal("default.any.0.0.0", table.Routed("/x", method: "DELETE"));
    }

    [Fact]
    public void Precedence_across_kinds_of_match_is_path_then_method_then_headers_then_query_parameters()
    {
        var withQuery = Match("PathPrefix", "/p");
        withQuery.QueryParams = [new() { Name = "q", Value = "1" }];
        var withQueries = Match("PathPrefix", "/p", null, ("x-a", "1"));
        withQueries.QueryParams = [new() { Name = "q", Value = "1" }, new() { Name = "r", Value = "1" }];
        var table = Table(Translate(
            // Each newer than the one it must beat, so that the order of creation cannot explain the result.
            Route("headers", Rule([Match("PathPrefix", "/p", null, ("x-a", "1"), ("x-b", "1"))], To("web"))).CreatedOn(2020),
            Route("method", Rule([Match("PathPrefix", "/p", "GET")], To("web"))).CreatedOn(2021),
            Route("longer", Rule([Match("PathPrefix", "/p/longer")], To("web"))).CreatedOn(2022),
            Route("query", Rule([withQuery], To("web"))).CreatedOn(2019),
            Route("more-queries", Rule([withQueries], To("web"))).CreatedOn(2023)));

        // A longer path beats a method, which beats two headers, which beat one header and two query parameters.
        Assert.Equal("default.longer.0.0.0", table.Routed("/p/longer?q=1&r=1", headers: [("x-a", "1"), ("x-b", "1")]));
        Assert.Equal("default.method.0.0.0", table.Routed("/p?q=1&r=1", headers: [("x-a", "1"), ("x-b", "1")]));
        Assert.Equal("default.headers.0.0.0", table.Routed("/p?q=1&r=1", method: "POST", headers: [("x-a", "1"), ("x-b", "1")]));
        Assert.Equal("default.more-queries.0.0.0", table.Routed("/p?q=1&r=1", method: "POST", headers: ("x-a", "1")));
        Assert.Equal("default.query.0.0.0", table.Routed("/p?q=1", method: "POST", headers: ("x-a", "1")));
    }

    [Fact]
    public void Among_equal_matches_the_older_route_then_the_first_by_namespace_and_name_then_the_first_rule_wins()
    {
        var table = Table(Translate(
            Route("b-newer", Rule([Match("PathPrefix", "/same")], To("web"))).CreatedOn(2026),
            Route("c-older", Rule([Match("PathPrefix", "/same")], To("web"))).CreatedOn(2024),
            Route("b-twin", Rule([Match("PathPrefix", "/twin")], To("web"))).CreatedOn(2024),
            Route("a-twin", Rule([Match("PathPrefix", "/twin")], To("web")), Rule([Match("PathPrefix", "/twin")], To("api"))).CreatedOn(2024)));

        Assert.Equal("default.c-older.0.0.0", table.Routed("/same"));
        Assert.Equal("default.a-twin.0.0.0", table.Routed("/twin"));
    }

    [Fact]
    public void A_new_route_as_specific_as_others_moves_none_of_them()
    {
        var before = Translate(
            Route("one", Rule([Match("PathPrefix", "/same")], To("web"))).CreatedOn(2024),
            Route("two", Rule([Match("PathPrefix", "/same")], To("web"))).CreatedOn(2025));
        var after = Translate(
            Route("one", Rule([Match("PathPrefix", "/same")], To("web"))).CreatedOn(2024),
            Route("two", Rule([Match("PathPrefix", "/same")], To("web"))).CreatedOn(2025),
            Route("new", Rule([Match("PathPrefix", "/same")], To("web"))).CreatedOn(2026));

        Assert.Equal(before.Route("default.one.0.0.0").TollgatePriority, after.Route("default.one.0.0.0").TollgatePriority);
        Assert.Equal(before.Route("default.two.0.0.0").TollgatePriority, after.Route("default.two.0.0.0").TollgatePriority);
        Assert.True(after.Route("default.new.0.0.0").TollgatePriority < after.Route("default.two.0.0.0").TollgatePriority);
    }

    [Fact]
    public void Deleting_a_route_moves_none_on_other_hostnames()
    {
        Gateway.Operator.GatewayApi.HttpRoute[] Routes(bool withOld)
        {
            var routes = new List<Gateway.Operator.GatewayApi.HttpRoute>
            {
                Route("a", Rule([Match("PathPrefix", "/")], To("web"))).WithHostnames("a.example.com").CreatedOn(2024),
                Route("b", Rule([Match("PathPrefix", "/")], To("web"))).WithHostnames("b.example.com").CreatedOn(2025),
            };
            if (withOld) routes.Add(Route("old", Rule([Match("PathPrefix", "/")], To("web"))).WithHostnames("a.example.com").CreatedOn(2020));
            return [.. routes];
        }
        var before = Translate(Routes(withOld: true));
        var after = Translate(Routes(withOld: false));

        Assert.Equal(before.Route("default.b.0.0.0").TollgatePriority, after.Route("default.b.0.0.0").TollgatePriority);
        Assert.True(after.Route("default.a.0.0.0").TollgatePriority > before.Route("default.a.0.0.0").TollgatePriority);
    }

    [Fact]
    public void An_Ingress_path_on_a_named_host_is_not_shadowed_by_an_HTTPRoute_for_every_host()
    {
        var input = Input([GatewayWith("gw", Http())], [Route("everything", Rule([Match("PathPrefix", "/")], To("web")))], Services, Slices) with
        {
            Ingresses = [Cluster.Ingress("shop", Cluster.Rule("shop.example.com", Cluster.Path("/cart", "api")))],
            IngressClasses = [Cluster.IngressClass()],
        };

        var output = Cluster.Translate(input);
        var table = Table(output);

        Assert.StartsWith("default.shop.", table.Routed("/cart", host: "shop.example.com"));
        Assert.Equal("default.everything.0.0.0", table.Routed("/home", host: "shop.example.com"));
        Assert.Equal("default.everything.0.0.0", table.Routed("/cart", host: "other.example.com"));
    }

    [Fact]
    public void Route_hostnames_are_intersected_with_the_listeners()
    {
        var output = Cluster.Translate(Input([GatewayWith("gw", Http(hostname: "*.example.com"))],
            [Route("site", Rule(null, To("web"))).WithHostnames("a.example.com", "other.org", "*.b.example.com")], Services, Slices));
        var table = Table(output);

        Assert.Equal(["*.b.example.com", "a.example.com"], output.Route("default.site.0.0.0").Hosts!);
        Assert.Equal("default.site.0.0.0", table.Routed("/", host: "a.example.com"));
        Assert.Equal("default.site.0.0.0", table.Routed("/", host: "x.b.example.com"));
        Assert.Null(table.Routed("/", host: "other.org"));
        Assert.Null(table.Routed("/", host: "c.example.com"));
    }

    [Fact]
    public void A_listener_hostname_alone_restricts_the_route()
    {
        var output = Cluster.Translate(Input([GatewayWith("gw", Http(hostname: "*.example.com"))], [Route("site", Rule(null, To("web")))], Services, Slices));

        Assert.Equal(["*.example.com"], output.Route("default.site.0.0.0").Hosts!);
        Assert.Null(Table(output).Routed("/", host: "example.org"));
    }

    [Fact]
    public void A_rule_sends_to_the_ready_endpoints_of_its_service()
    {
        var output = Translate(Route("site", Rule(null, To("api"))));

        var route = output.Route("default.site.0.0.0");
        var service = output.ServiceOf(route);
        var upstream = output.Configuration.Upstreams.Single(u => u.Name == service.Host);
        Assert.Equal(["10.0.1.1:9000", "10.0.1.2:9000"], output.Configuration.Targets.Where(t => t.Upstream.Id == upstream.Id).Select(t => t.Address));
        Assert.False(route.StripPath);
        Assert.True(route.PreserveHost);
        Assert.True(output.ResultFor("HTTPRoute", "site").Programmed);
    }

    [Fact]
    public void Query_parameters_match_by_exact_name_and_exact_or_pattern_value()
    {
        var exact = Rule([Match("PathPrefix", "/q")], To("web"));
        exact.Matches![0].QueryParams = [new() { Name = "page", Value = "1" }, new() { Name = "page", Value = "2" }];
        var pattern = Rule([Match("PathPrefix", "/r")], To("web"));
        pattern.Matches![0].QueryParams = [new() { Type = "RegularExpression", Name = "sort", Value = "^(asc|desc)$" }];

        var tilde = Rule([Match("PathPrefix", "/t")], To("web"));
        tilde.Matches![0].QueryParams = [new() { Name = "v", Value = "~a.b" }];

        var output = Translate(Route("site", exact, pattern, tilde));
        var table = Table(output);

        Assert.Equal("default.site.0.0.0", table.Routed("/q?page=1"));
        Assert.Equal("default.site.0.0.0", table.Routed("/q?x=y&page=1"));
        // Only the first match of a name counts; names are exact; no parameter is no match.
        Assert.Null(table.Routed("/q?page=2"));
        Assert.Null(table.Routed("/q?Page=1"));
        Assert.Null(table.Routed("/q"));
        Assert.Equal("default.site.1.0.0", table.Routed("/r?sort=desc"));
        Assert.Null(table.Routed("/r?sort=descending"));
        // An exact value goes to the proxy as it is, unless it looks like a pattern.
        Assert.Equal(["1"], output.Route("default.site.0.0.0").Queries!["page"]);
        Assert.Equal("default.site.2.0.0", table.Routed("/t?v=~a.b"));
        Assert.Null(table.Routed("/t?v=~axb"));
    }

    [Fact]
    public void A_query_parameter_pattern_that_does_not_compile_leaves_its_match_out_with_the_field_named()
    {
        var rule = Rule([Match("PathPrefix", "/q"), Match("PathPrefix", "/r")], To("web"));
        rule.Matches![0].QueryParams = [new() { Type = "RegularExpression", Name = "page", Value = "(unclosed" }];

        var output = Translate(Route("site", rule));

        var problem = Assert.Single(output.ResultFor("HTTPRoute", "site").Problems);
        Assert.Equal(("spec.rules[0].matches[0].queryParams[0].value", "UnsupportedValue"), (problem.Field, problem.Reason));
        Assert.Contains("(unclosed", problem.Message);
        Assert.Equal("default.site.0.1.0", Table(output).Routed("/r"));
    }

    [Fact]
    public void A_query_parameter_match_of_an_unknown_type_leaves_its_match_out()
    {
        var rule = Rule([Match("PathPrefix", "/q"), Match("PathPrefix", "/r")], To("web"));
        rule.Matches![0].QueryParams = [new() { Type = "Prefix", Name = "page", Value = "1" }];

        var output = Translate(Route("site", rule));

        var problem = Assert.Single(output.ResultFor("HTTPRoute", "site").Problems);
        Assert.Equal(("spec.rules[0].matches[0].queryParams[0].type", "UnsupportedValue"), (problem.Field, problem.Reason));
        Assert.Null(Table(output).Routed("/q?page=1"));
        Assert.Equal("default.site.0.1.0", Table(output).Routed("/r"));
    }

    [Fact]
    public void Routes_of_gateways_not_served_are_not_translated_nor_reported()
    {
        var route = Route("elsewhere", Rule(null, To("web")));
        route.Spec.ParentRefs = [new() { Name = "not-ours" }];

        var output = Translate(route);

        Assert.Empty(output.Configuration.Routes);
        Assert.DoesNotContain(output.Results, r => r.Source.Kind == "HTTPRoute");
    }
}

internal static class RegexHeaders
{
    /// <summary>Makes every header match of the route a RegularExpression match.</summary>
    public static Gateway.Operator.GatewayApi.HttpRouteRule WithRegexHeader(this Gateway.Operator.GatewayApi.HttpRouteRule rule)
    {
        foreach (var match in rule.Matches ?? [])
            foreach (var header in match.Headers ?? []) header.Type = "RegularExpression";
        return rule;
    }
}
