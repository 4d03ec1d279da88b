using Gateway.Proxy.Entities;
using Gateway.Proxy.Routing;
using static Gateway.Proxy.Tests.Routing.RoutingFixtures;
using Route = Gateway.Proxy.Entities.Route;

namespace Gateway.Proxy.Tests.Routing;

/// <summary>The path index of large route lists picks exactly the route a scan of the whole list in priority order picks.</summary>
public class PathIndexTests
{
    private static readonly string[] Segments = ["api", "v1", "v2", "users", "a", "ab", "files", "x"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_index_agrees_with_a_scan_in_priority_order(int seed)
    {
        var random = new Random(seed);
        var routes = new List<Entity>();
        for (var i = 0; i < 300; i++) routes.Add(RandomRoute(random, "r" + i));
        var table = Table(routes.ToArray());

        for (var i = 0; i < 3000; i++)
        {
            var host = random.Next(4) switch { 0 => "one.example", 1 => "two.example", 2 => "sub.wild.example", _ => "other.example" };
            var request = Request(RandomPath(random), host);
            Assert.Equal(ScanInPriorityOrder(table, request), table.Matched(request));
        }
    }

    [Fact]
    public void Long_lists_are_indexed_and_short_ones_are_not()
    {
        var many = Enumerable.Range(0, PathIndex.MinimumCandidates).Select(i => RoutingFixtures.Route("r" + i, [$"/p{i}"])).ToArray();

        Assert.NotNull(PathIndex.For(Table(many).Routes));
        Assert.Null(PathIndex.For(Table(many[..^1]).Routes));
    }

    [Fact]
    public void An_unmatched_path_is_tried_only_against_the_routes_filed_under_its_beginnings()
    {
        var routes = new List<Entity>();
        for (var i = 0; i < 1000; i++) routes.Add(RoutingFixtures.Route("regex" + i, [$"~/svc{i}/(?<id>\\d+)$"]));
        routes.Add(RoutingFixtures.Route("prefix", ["/svc1"]));
        var index = PathIndex.For(Table(routes.ToArray()).Routes)!;
        var lists = new PathIndex.PositionLists();

        var count = index.Collect("/svc12/x", ref lists);

        // Of 1,001 routes, two can match: the prefix "/svc1" and the regex filed under "/svc12/".
        Assert.Equal(2, count);
        Assert.Single(lists[0]);
        Assert.Single(lists[1]);
    }

    private static string? ScanInPriorityOrder(RoutingTable table, RouteRequest request)
    {
        var host = request.SplitHost(out var port).ToString();
        foreach (var route in table.Routes)
        {
            if (route.Hosts is not null && !Array.Exists(route.Hosts, h => h.Matches(host, port))) continue;
            if (route.TryMatch(request, out _, out _)) return route.Route.Name;
        }
        return null;
    }

    private static Route RandomRoute(Random random, string name)
    {
        var paths = random.Next(6) == 0 ? null : Enumerable.Range(0, random.Next(1, 3)).Select(_ => RandomRoutePath(random)).Distinct().ToArray();
        string[]? hosts = random.Next(4) switch { 0 => ["one.example"], 1 => ["*.wild.example"], 2 => ["two.example", "one.example"], _ => null };
        if (paths is null && hosts is null) hosts = ["two.example"];
        return RoutingFixtures.Route(name, paths, hosts, regexPriority: random.Next(3));
    }

    private static string RandomRoutePath(Random random)
    {
        var path = "/" + string.Join("/", Enumerable.Range(0, random.Next(0, 3)).Select(_ => Segments[random.Next(Segments.Length)]));
        return random.Next(3) switch
        {
            0 => "~" + path + (random.Next(2) == 0 ? "/(?<id>\\d+)$" : "s?/.*"),
            1 => path.Length > 1 ? path[..^1] : path,
            _ => path,
        };
    }

    private static string RandomPath(Random random) =>
        "/" + string.Join("/", Enumerable.Range(0, random.Next(0, 5)).Select(_ => random.Next(5) == 0 ? random.Next(100).ToString() : Segments[random.Next(Segments.Length)]));
}
