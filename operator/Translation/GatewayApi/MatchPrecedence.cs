namespace Gateway.Operator.Translation.GatewayApi;

/// <summary>
/// The Gateway API's precedence among the Kong routes of every HTTPRoute, as each route's <c>tollgate_priority</c>
/// (the proxy tries higher first): the specificity of its match in the high bits, then, among matches as specific on
/// the same hostnames, the spec's tie-breaks (the older HTTPRoute, then namespace and name, then the earlier rule) as a
/// rank counted among those matches only. So a new HTTPRoute, the newest, moves no other route, and a deleted one
/// moves only newer ones as specific on its hostnames. (Matches as specific on different but overlapping hostnames
/// are ordered by the proxy: the older first, then by id.)
/// </summary>
internal sealed class MatchPrecedence
{
    /// <summary>The bits of <c>tollgate_priority</c> below a match's specificity: the proxy takes up to 46 bits.</summary>
    private const int TieBreakBits = 46 - RouteMatches.SpecificityBits;
    private const long MaxTieBreak = (1L << TieBreakBits) - 1;

    private readonly List<(KongRoute Route, long Specificity, TieBreak TieBreak)> _routes = [];

    /// <summary>Where a Kong route stands among matches as specific: the spec's tie-breaks, in its order.</summary>
    public sealed record TieBreak(long CreatedAt, string Namespace, string Name, int Rule, int Match, int Group);

    public void Add(KongRoute route, long specificity, TieBreak tieBreak) => _routes.Add((route, specificity, tieBreak));

    /// <summary>Every route added, with its <c>tollgate_priority</c>.</summary>
    public IEnumerable<KongRoute> Ranked()
    {
        foreach (var same in _routes.GroupBy(r => (r.Specificity, Hosts: string.Join(",", r.Route.Hosts ?? []))))
        {
            var rank = 0L;
            foreach (var (route, specificity, _) in same.OrderBy(r => r.TieBreak, TieBreakOrder.Instance))
                yield return route with { TollgatePriority = (specificity << TieBreakBits) | (MaxTieBreak - Math.Min(rank++, MaxTieBreak)) };
        }
    }

    private sealed class TieBreakOrder : IComparer<TieBreak>
    {
        public static readonly TieBreakOrder Instance = new();

        public int Compare(TieBreak? a, TieBreak? b)
        {
            int c;
            if ((c = a!.CreatedAt.CompareTo(b!.CreatedAt)) != 0) return c;
            // "{namespace}/{name}" as one text: "a-b/x" comes before "a/x", which comparing the namespaces apart would reverse.
            if ((c = string.CompareOrdinal(a.Namespace + "/" + a.Name, b.Namespace + "/" + b.Name)) != 0) return c;
            if ((c = a.Rule.CompareTo(b.Rule)) != 0) return c;
            if ((c = a.Match.CompareTo(b.Match)) != 0) return c;
            return a.Group.CompareTo(b.Group);
        }
    }
}
