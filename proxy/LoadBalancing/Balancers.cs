using Gateway.Proxy.Entities;

namespace Gateway.Proxy.LoadBalancing;

/// <summary>Builds the balancer of one upstream from its entity and targets.</summary>
public static class Balancers
{
    /// <summary>
    /// The targets a balancer serves: those with a weight above 0 (weight 0 takes a target out of rotation), ordered by
    /// address so that every replica builds the same balancer from the same configuration.
    /// </summary>
    public static BalancerTarget[] InRotation(IEnumerable<Target> targets)
    {
        var inRotation = new List<BalancerTarget>();
        foreach (var target in targets)
        {
            if (target.Weight <= 0 || target.Address is null || !TargetAddress.TryParse(target.Address, out var address)) continue;
            inRotation.Add(new BalancerTarget(address.Host, address.Port, target.Weight));
        }
        inRotation.Sort((a, b) => string.CompareOrdinal(a.Address, b.Address));
        return inRotation.ToArray();
    }

    public static Balancer Create(Upstream upstream, IEnumerable<Target> targets) => Create(upstream, InRotation(targets), null);

    /// <summary>A balancer over <paramref name="inRotation"/> that skips the targets <paramref name="availability"/> calls unhealthy.</summary>
    public static Balancer Create(Upstream upstream, BalancerTarget[] inRotation, ITargetAvailability? availability) =>
        upstream.Algorithm switch
        {
            "least-connections" => new LeastConnectionsBalancer(inRotation, availability),
            "consistent-hashing" => new ConsistentHashingBalancer(inRotation, upstream.Slots,
                KeyOf(upstream.HashOn, upstream.HashOnHeader, upstream.HashOnCookie, upstream.HashOnQueryArg),
                KeyOf(upstream.HashFallback, upstream.HashFallbackHeader, null, upstream.HashFallbackQueryArg),
                upstream.HashOnCookiePath, availability),
            _ => new RoundRobinBalancer(inRotation, availability),
        };

    private static HashKey KeyOf(string source, string? header, string? cookie, string? queryArg) => source switch
    {
        "header" => new HashKey(source, header),
        "cookie" => new HashKey(source, cookie),
        "query_arg" => new HashKey(source, queryArg),
        "none" => HashKey.None,
        _ => new HashKey(source, null),
    };
}
