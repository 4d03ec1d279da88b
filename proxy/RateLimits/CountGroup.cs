using StackExchange.Redis;

namespace Gateway.Proxy.RateLimits;

/// <summary>
/// Requests of one Redis batch that count in the same window counters under the same limits. The script counts
/// them together, in one step per window, with the result counting them one by one would have.
/// </summary>
public sealed class CountGroup(PendingCount first)
{
    public PendingCount First { get; } = first;

    /// <summary>The group's requests in arrival order, <see cref="First"/> first.</summary>
    public List<PendingCount> Members { get; } = [first];

    /// <summary>Adds <paramref name="request"/> when it counts in this group's counters under its limits.</summary>
    public bool TryAdd(PendingCount request)
    {
        if (!ReferenceEquals(request.Limits, First.Limits) || !SameKeys(request.Keys, First.Keys)) return false;
        Members.Add(request);
        return true;
    }

    private static bool SameKeys(RedisKey[] one, RedisKey[] other)
    {
        if (one.Length != other.Length) return false;
        for (var i = 0; i < one.Length; i++)
        {
            if (one[i] != other[i]) return false;
        }
        return true;
    }
}
