using Gateway.Proxy.Entities;

namespace Gateway.Proxy.LoadBalancing;

/// <summary>Builds the balancer of one upstream from its entity and targets.</summary>
public static class Balancers
{
    /// <summary>
    /// Targets with weight 0 are out of rotation; the rest are ordered by address so that every replica
    /// builds the same balancer from the same configuration.
    /// </summary>
    public static Balancer Create(Upstream upstream, IEnumerable<Target> targets)
    {
        var inRotation = new List<BalancerTarget>();
        foreach (var target in targets)
        {
            if (target.Weight <= 0 || target.Address is null || !TargetAddress.TryParse(target.Address, out var address)) continue;
            inRotation.Add(new BalancerTarget(address.Host, address.Port, target.Weight));
        }
        inRotation.Sort((a, b) => string.CompareOrdinal(a.Address, b.Address));
        var array = inRotation.ToArray();
        return upstream.Algorithm switch
        {
            "least-connections" => new LeastConnectionsBalancer(array),
            "consistent-hashing" => new ConsistentHashingBalancer(array, upstream.Slots,
                KeyOf(upstream.HashOn, upstream.HashOnHeader, upstream.HashOnCookie, upstream.HashOnQueryArg),
                KeyOf(upstream.HashFallback, upstream.HashFallbackHeader, null, upstream.HashFallbackQueryArg),
                upstream.HashOnCookiePath),
            _ => new RoundRobinBalancer(array),
        };
    }

    private static HashKey KeyOf(string source, string? header, string? cookie, string? queryArg) => source switch
    {
        "header" => new HashKey(source, header),
        "cookie" => new HashKey(source, cookie),
        "query_arg" => new HashKey(source, queryArg),
        "none" => HashKey.None,
        _ => new HashKey(source, null),
    };
}
