using System.Text.RegularExpressions;
using Gateway.Proxy.Entities;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.RequestPaths;
using Route = Gateway.Proxy.Entities.Route;

namespace Gateway.Proxy.Routing;

/// <summary>
/// One matcher of the routing table: a route (or, for a route with several kinds of paths, the part of it
/// holding one kind; see <see cref="RoutePriority"/>) with its rules prepared for matching.
/// Host rules are not checked here: the table has already sorted routes by host.
/// </summary>
public sealed class CompiledRoute
{
    private readonly string[]? _methods;
    private readonly string[]? _prefixes;
    private readonly Regex[]? _regexes;
    private readonly HeaderRule[]? _headers;
    private readonly QueryRule[]? _queries;
    private readonly string[]? _snis;
    private readonly bool _acceptsHttp;
    private readonly bool _acceptsHttps;

    public CompiledRoute(Route route, CompiledService? service, string[]? paths, PluginChain? plugins = null)
    {
        Route = route;
        Service = service;
        Plugins = plugins;
        foreach (var protocol in route.Protocols)
        {
            if (protocol is "http" or "ws" or "grpc") _acceptsHttp = true;
            else _acceptsHttps = true;
        }
        _methods = NullIfEmpty(route.Methods);
        Hosts = route.Hosts is { Length: > 0 } ? Array.ConvertAll(route.Hosts, HostRule.Parse) : null;
        _snis = route.Snis is { Length: > 0 } ? Array.ConvertAll(route.Snis, s => s.TrimEnd('.')) : null;
        if (route.Headers is { Count: > 0 })
        {
            var rules = new List<HeaderRule>();
            foreach (var (name, values) in route.Headers) rules.Add(HeaderRule.Create(name, values));
            _headers = rules.ToArray();
        }
        if (route.TollgateQueries is { Count: > 0 })
        {
            var rules = new List<QueryRule>();
            foreach (var (name, values) in route.TollgateQueries) rules.Add(QueryRule.Create(name, values));
            _queries = rules.ToArray();
        }

        var regexPath = false;
        var prefixLength = 0;
        PathBeginnings = [""];
        if (paths is { Length: > 0 })
        {
            regexPath = RoutePatterns.IsRegexPath(paths[0]);
            if (regexPath)
            {
                _regexes = Array.ConvertAll(paths, RoutePatterns.ForPath);
                PathBeginnings = Array.ConvertAll(paths, RoutePatterns.LiteralPrefix);
            }
            else
            {
                // Requests are matched in canonical form, so prefixes are compared in that form too.
                _prefixes = Array.ConvertAll(paths, CanonicalPath.ForRoutePrefix);
                PathBeginnings = _prefixes;
                prefixLength = paths[0].Length;
            }
        }

        var hasHosts = Hosts is not null;
        var plainHostsOnly = hasHosts && Array.TrueForAll(Hosts!, h => !h.IsWildcard);
        var hasPaths = paths is { Length: > 0 };
        if (route.TollgatePriority is { } explicitPriority)
        {
            // Ranked as a route of its hosts and a regex path of the highest regex_priority; its number orders the rest.
            Priority = new RoutePriority((hasHosts ? 1 : 0) + (hasPaths ? 1 : 0), plainHostsOnly, 0, true, int.MaxValue, 0,
                route.CreatedAt, route.Id) { Explicit = explicitPriority };
            return;
        }
        var matchFields = (_methods is null ? 0 : 1) + (hasHosts ? 1 : 0) + (_headers is null ? 0 : 1)
                          + (_snis is null ? 0 : 1) + (hasPaths ? 1 : 0) + (_queries is null ? 0 : 1);
        Priority = new RoutePriority(matchFields, plainHostsOnly, _headers?.Length ?? 0, regexPath,
            regexPath ? route.RegexPriority : 0, prefixLength, route.CreatedAt, route.Id);
    }

    public Route Route { get; }

    /// <summary>Where matched requests go; null for a route without a service (answered with 503).</summary>
    public CompiledService? Service { get; }

    public HostRule[]? Hosts { get; }

    /// <summary>The plugins that run for this route, in order; null when none does.</summary>
    public PluginChain? Plugins { get; }

    public RoutePriority Priority { get; }

    /// <summary>What every path this matcher accepts starts with: its prefixes, its regexes' literal starts, or "".</summary>
    public string[] PathBeginnings { get; }

    /// <summary>
    /// True for a route that accepts only https while the request came over http: Kong matches it and then
    /// answers 426 or redirects, as set by https_redirect_status_code.
    /// </summary>
    public bool RequiresHttps(bool requestIsHttps) => !requestIsHttps && !_acceptsHttp;

    /// <summary>Checks every rule but the hosts. On success gives the matched path part and the regex match.</summary>
    public bool TryMatch(in RouteRequest request, out string? matchedPath, out Match? regexMatch)
    {
        matchedPath = null;
        regexMatch = null;
        if (request.IsHttps ? !_acceptsHttps : !_acceptsHttp && !_acceptsHttps) return false;
        if (_methods is not null && !Contains(_methods, request.Method)) return false;
        if (_snis is not null && request.IsHttps && !SniMatches(request.Sni)) return false;
        if (_headers is not null)
        {
            foreach (var rule in _headers)
                if (!rule.Matches(request.Headers[rule.Name])) return false;
        }
        if (_queries is not null)
        {
            foreach (var rule in _queries)
                if (!rule.Matches(request.Query)) return false;
        }
        if (_prefixes is not null)
        {
            foreach (var prefix in _prefixes)
            {
                if (request.Path.StartsWith(prefix, StringComparison.Ordinal))
                {
                    matchedPath = prefix;
                    return true;
                }
            }
            return false;
        }
        if (_regexes is not null)
        {
            foreach (var regex in _regexes)
            {
                var match = RoutePatterns.Match(regex, request.Path);
                if (match is null) continue;
                matchedPath = match.Value;
                regexMatch = match;
                return true;
            }
            return false;
        }
        return true;
    }

    private bool SniMatches(string? sni)
    {
        if (sni is null) return false;
        var name = sni.AsSpan().TrimEnd('.');
        foreach (var accepted in _snis!)
            if (name.Equals(accepted, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static bool Contains(string[] values, string value)
    {
        foreach (var candidate in values)
            if (string.Equals(candidate, value, StringComparison.Ordinal)) return true;
        return false;
    }

    private static string[]? NullIfEmpty(string[]? values) => values is { Length: > 0 } ? values : null;

    public override string ToString() => (Route.Name ?? Route.Id.ToString()) + " " + Priority;
}
