namespace Gateway.Proxy.Routing;

/// <summary>
/// The order in which routes are tried, mirroring Kong's traditional_compatible router, which packs these
/// fields, most significant first, into one 64-bit priority (kong/router/transform.lua get_priority):
/// <list type="number">
/// <item>more matching fields set (methods, hosts, headers, snis, paths: 0 to 5) first;</item>
/// <item>routes whose hosts are all plain names before routes with a wildcard host (or no hosts);</item>
/// <item>more header names first;</item>
/// <item>routes matching with a regex path before routes matching with prefix paths;</item>
/// <item>among regex paths, higher regex_priority first (it counts for regex paths only);</item>
/// <item>among prefix paths, longer prefix first.</item>
/// </list>
/// A route with several paths is split, as Kong splits it, into one matcher for all its regex paths and one
/// per prefix length, each ordered on its own. Remaining ties go to the older route (created_at), then the
/// smaller id, so the order is deterministic. (Kong's expression engine breaks such ties by the larger
/// UUID, which is equally arbitrary; the creation order is the tie-break Kong documents.)
/// <para>
/// A route with <c>tollgate_priority</c> (<see cref="Explicit"/>) carries its order among such routes itself, as Kong's
/// expression routes carry theirs. Among the others it ranks as a route with only its hosts and a regex path of the
/// highest regex_priority would: after routes of more fields (so an Ingress path on a named host still beats an
/// HTTPRoute without hostnames), before routes of as many (so among equals the HTTPRoute's precedence holds). Its
/// methods, headers and query parameters still have to match but do not rank it; between two such routes of the same
/// hosts kind the higher number goes first. The operator orders Gateway API matches this way.
/// </para>
/// </summary>
public readonly record struct RoutePriority(
    int MatchFields,
    bool PlainHostsOnly,
    int HeaderCount,
    bool RegexPath,
    int RegexPriority,
    int PrefixLength,
    long CreatedAt,
    Guid Id) : IComparable<RoutePriority>
{
    /// <summary>The route's <c>tollgate_priority</c>, when it sets one.</summary>
    public long? Explicit { get; init; }

    /// <summary>Negative when this route is tried before <paramref name="other"/>.</summary>
    public int CompareTo(RoutePriority other)
    {
        int c;
        if ((c = other.MatchFields.CompareTo(MatchFields)) != 0) return c;
        if ((c = other.PlainHostsOnly.CompareTo(PlainHostsOnly)) != 0) return c;
        if ((c = other.HeaderCount.CompareTo(HeaderCount)) != 0) return c;
        if ((c = other.RegexPath.CompareTo(RegexPath)) != 0) return c;
        if ((c = other.RegexPriority.CompareTo(RegexPriority)) != 0) return c;
        if ((c = other.PrefixLength.CompareTo(PrefixLength)) != 0) return c;
        // Routes that carry their order: first among their equals, then by it.
        if ((c = (other.Explicit ?? -1).CompareTo(Explicit ?? -1)) != 0) return c;
        return Older(other);
    }

    private int Older(RoutePriority other)
    {
        var c = CreatedAt.CompareTo(other.CreatedAt);
        return c != 0 ? c : Id.CompareTo(other.Id);
    }
}
