namespace Gateway.Operator.Translation.GatewayApi;

/// <summary>
/// The hostnames a route serves on one listener, as the spec intersects them: a listener without a hostname takes
/// the route's; a route without hostnames takes the listener's; otherwise each route hostname that the listener's
/// matches, where a wildcard (<c>*.example.com</c>) stands for one or more leading labels and, between two
/// wildcards, the more specific one is what both serve.
/// </summary>
public static class Hostnames
{
    /// <summary>Null for any host; an empty array when no route hostname falls under the listener's.</summary>
    public static string[]? Intersect(string? listener, IReadOnlyList<string>? route)
    {
        if (route is not { Count: > 0 }) return string.IsNullOrEmpty(listener) ? null : [listener.ToLowerInvariant()];
        if (string.IsNullOrEmpty(listener)) return [.. route.Select(h => h.ToLowerInvariant()).Distinct()];
        var served = new List<string>();
        foreach (var hostname in route)
        {
            if (Intersect(listener.ToLowerInvariant(), hostname.ToLowerInvariant()) is { } host && !served.Contains(host))
                served.Add(host);
        }
        return [.. served];
    }

    /// <summary>The hostname both serve, or null when they share none.</summary>
    public static string? Intersect(string listener, string route)
    {
        if (listener == route) return route;
        var listenerWildcard = listener.StartsWith("*.", StringComparison.Ordinal);
        var routeWildcard = route.StartsWith("*.", StringComparison.Ordinal);
        if (listenerWildcard && Covers(listener, route)) return route;
        if (routeWildcard && Covers(route, listener)) return listener;
        return null;
    }

    /// <summary>Whether <paramref name="wildcard"/> (<c>*.suffix</c>) covers <paramref name="name"/> (plain or itself a wildcard).</summary>
    private static bool Covers(string wildcard, string name)
    {
        var suffix = wildcard[1..]; // ".example.com"
        var label = name.StartsWith("*.", StringComparison.Ordinal) ? name[1..] : name;
        return label.Length > suffix.Length && label.EndsWith(suffix, StringComparison.Ordinal);
    }
}
