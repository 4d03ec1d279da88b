using Gateway.Proxy.Entities;
using Gateway.Proxy.Health;
using Gateway.Proxy.LoadBalancing;
using Gateway.Proxy.PluginEngine;

namespace Gateway.Proxy.Routing;

/// <summary>
/// The compiled, immutable routing table of one configuration snapshot.
/// Routes are pre-sorted by priority (<see cref="RoutePriority"/>) into one list per plain host name: the
/// routes naming that host, the wildcard routes whose pattern covers it, and the routes without hosts.
/// A request therefore costs one dictionary lookup by its host and a scan of a short, ordered list; hosts
/// named by no route share one list (wildcard and host-less routes). A long list is also indexed by path
/// (<see cref="PathIndex"/>), so that only the routes that can match the request's path are tried.
/// </summary>
public sealed class RoutingTable
{
    public static readonly RoutingTable Empty = new(new Dictionary<string, CandidateList>(), new CandidateList([]), []);

    private readonly Dictionary<string, CandidateList> _byHost;
    private readonly Dictionary<string, CandidateList>.AlternateLookup<ReadOnlySpan<char>> _byHostSpan;
    private readonly CandidateList _otherHosts;

    private RoutingTable(Dictionary<string, CandidateList> byHost, CandidateList otherHosts, CompiledRoute[] routes)
    {
        _byHost = byHost;
        _byHostSpan = byHost.GetAlternateLookup<ReadOnlySpan<char>>();
        _otherHosts = otherHosts;
        Routes = routes;
    }

    /// <summary>Every matcher in priority order (for inspection and tests).</summary>
    public IReadOnlyList<CompiledRoute> Routes { get; }

    public bool TryMatch(in RouteRequest request, out RouteMatch match)
    {
        var host = request.SplitHost(out var port);
        if (!_byHostSpan.TryGetValue(host, out var candidates)) candidates = _otherHosts;
        return candidates.TryMatch(request, host, port, out match);
    }

    /// <summary>
    /// Compiles every route whose service exists and is enabled (and every route without a service, which
    /// answers 503), each with its plugin chain. Routes of a disabled or missing service are left out, so they answer 404 as in Kong.
    /// Services on an upstream balance over its targets as <paramref name="health"/> judges them.
    /// </summary>
    public static RoutingTable Build(ConfigData config, IReadOnlyDictionary<Guid, PluginChain>? plugins = null,
        UpstreamHealthSet? health = null)
    {
        var services = CompileServices(config, health ?? UpstreamHealthSet.Build(config, new TargetHealthRegistry()));
        var routes = new List<CompiledRoute>();
        foreach (var route in config.Routes)
        {
            CompiledService? service = null;
            if (route.Service is not null && !services.TryGetValue(route.Service.Id, out service)) continue;
            var chain = plugins?.GetValueOrDefault(route.Id);
            foreach (var paths in SplitPaths(route.Paths)) routes.Add(new CompiledRoute(route, service, paths, chain));
        }
        routes.Sort((a, b) => a.Priority.CompareTo(b.Priority));
        return Index(routes.ToArray());
    }

    private static Dictionary<Guid, CompiledService> CompileServices(ConfigData config, UpstreamHealthSet health)
    {
        var upstreams = new Dictionary<string, Upstream>(StringComparer.OrdinalIgnoreCase);
        foreach (var upstream in config.Upstreams) upstreams[upstream.Name!] = upstream;

        var balancers = new Dictionary<string, Balancer>(StringComparer.OrdinalIgnoreCase);
        var tls = Tls.UpstreamTlsCatalog.Build(config);
        var services = new Dictionary<Guid, CompiledService>();
        foreach (var service in config.Services)
        {
            if (!service.Enabled || service.Host is null) continue;
            Balancer? balancer = null;
            UpstreamHealth? upstreamHealth = null;
            if (upstreams.TryGetValue(service.Host, out var upstream))
            {
                upstreamHealth = health.For(upstream.Id) ?? throw new InvalidOperationException($"no health for upstream {upstream.Name}");
                // One balancer per upstream, shared by its services, so their traffic is balanced together.
                if (!balancers.TryGetValue(service.Host, out balancer))
                    balancers[service.Host] = balancer = Balancers.Create(upstream, upstreamHealth.Targets,
                        upstreamHealth.AffectsTraffic ? upstreamHealth : null);
            }
            services[service.Id] = CompiledService.Create(service, upstream, balancer, upstreamHealth?.Passive is null ? null : upstreamHealth, tls.For(service));
        }
        return services;
    }

    /// <summary>Kong's split: all regex paths together, prefix paths grouped by length; no paths, one group.</summary>
    private static List<string[]?> SplitPaths(string[]? paths)
    {
        if (paths is not { Length: > 1 }) return [paths is { Length: 1 } ? paths : null];
        var groups = new List<string[]?>();
        var regexes = Array.FindAll(paths, RoutePatterns.IsRegexPath);
        if (regexes.Length > 0) groups.Add(regexes);
        var lengths = new SortedSet<int>();
        foreach (var path in paths)
            if (!RoutePatterns.IsRegexPath(path)) lengths.Add(path.Length);
        foreach (var length in lengths)
            groups.Add(Array.FindAll(paths, p => !RoutePatterns.IsRegexPath(p) && p.Length == length));
        return groups;
    }

    private static RoutingTable Index(CompiledRoute[] routes)
    {
        // One list per plain host name. Routes are taken in priority order, so appending keeps each list in that order:
        // a route joins the lists of the names it has and of the names its wildcards cover, and a route without hosts
        // joins every list. (Checking every route against every name instead costs hosts × routes: for a few thousand
        // of each, a quarter of a second and a hundred megabytes per configuration change.)
        var lists = new Dictionary<string, List<Candidate>>(StringComparer.Ordinal);
        foreach (var route in routes)
        {
            if (route.Hosts is null) continue;
            foreach (var rule in route.Hosts)
                if (!rule.IsWildcard) lists.TryAdd(rule.Value, []);
        }
        var names = lists.Keys.ToArray();
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var route in routes)
        {
            if (route.Hosts is null)
            {
                foreach (var list in lists.Values) list.Add(new Candidate(route, null));
                continue;
            }
            covered.Clear();
            foreach (var rule in route.Hosts)
                if (!rule.IsWildcard) covered.Add(rule.Value);
            if (covered.Count < route.Hosts.Length)
                foreach (var name in names)
                    if (!covered.Contains(name) && CoversByWildcard(route.Hosts, name)) covered.Add(name);
            foreach (var name in covered)
            {
                var covering = Array.FindAll(route.Hosts, rule => rule.MatchesName(name));
                // Once the name is known to match, only a port restriction is left to check per request.
                var anyPort = Array.Exists(covering, rule => rule.Port == 0);
                lists[name].Add(new Candidate(route, anyPort ? null : covering));
            }
        }
        var byHost = new Dictionary<string, CandidateList>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, list) in lists) byHost[name] = new CandidateList(list.ToArray());

        var otherHosts = new List<Candidate>();
        foreach (var route in routes)
        {
            if (route.Hosts is null) otherHosts.Add(new Candidate(route, null));
            else
            {
                var wildcards = Array.FindAll(route.Hosts, rule => rule.IsWildcard);
                if (wildcards.Length > 0) otherHosts.Add(new Candidate(route, wildcards));
            }
        }
        return new RoutingTable(byHost, new CandidateList(otherHosts.ToArray()), routes);
    }

    private static bool CoversByWildcard(HostRule[] rules, string name)
    {
        foreach (var rule in rules)
            if (rule.IsWildcard && rule.MatchesName(name)) return true;
        return false;
    }

    /// <summary>A route in a host's list, with the host rules still to check (null: none).</summary>
    private readonly record struct Candidate(CompiledRoute Route, HostRule[]? Hosts);

    /// <summary>The routes that can serve one host, in priority order, indexed by path when they are many.</summary>
    private sealed class CandidateList(Candidate[] candidates)
    {
        private readonly PathIndex? _index = PathIndex.For(Array.ConvertAll(candidates, c => c.Route));

        public bool TryMatch(in RouteRequest request, ReadOnlySpan<char> host, int port, out RouteMatch match)
        {
            if (_index is null) return Scan(request, host, port, out match);
            var lists = new PathIndex.PositionLists();
            var count = _index.Collect(request.Path, ref lists);
            if (count < 0) return Scan(request, host, port, out match);

            // Merge the lists by priority: always try the earliest position any list holds next.
            Span<int> next = stackalloc int[PathIndex.MaximumLists];
            var tried = -1;
            while (true)
            {
                var earliest = int.MaxValue;
                var from = -1;
                for (var list = 0; list < count; list++)
                {
                    var positions = lists[list];
                    if (next[list] < positions.Length && positions[next[list]] < earliest)
                    {
                        earliest = positions[next[list]];
                        from = list;
                    }
                }
                if (from < 0) break;
                next[from]++;
                // A route with several paths may be filed under two beginnings of one path: try it once.
                if (earliest == tried) continue;
                tried = earliest;
                if (Matches(candidates[earliest], request, host, port, out match)) return true;
            }
            match = default;
            return false;
        }

        private bool Scan(in RouteRequest request, ReadOnlySpan<char> host, int port, out RouteMatch match)
        {
            foreach (var candidate in candidates)
                if (Matches(candidate, request, host, port, out match)) return true;
            match = default;
            return false;
        }

        private static bool Matches(in Candidate candidate, in RouteRequest request, ReadOnlySpan<char> host, int port, out RouteMatch match)
        {
            match = default;
            if (candidate.Hosts is not null && !AnyHostMatches(candidate.Hosts, host, port)) return false;
            if (!candidate.Route.TryMatch(request, out var matchedPath, out var regexMatch)) return false;
            match = new RouteMatch(candidate.Route, matchedPath, regexMatch);
            return true;
        }

        private static bool AnyHostMatches(HostRule[] rules, ReadOnlySpan<char> host, int port)
        {
            foreach (var rule in rules)
                if (rule.Matches(host, port)) return true;
            return false;
        }
    }
}
