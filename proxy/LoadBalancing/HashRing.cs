namespace Gateway.Proxy.LoadBalancing;

/// <summary>
/// The consistent-hashing ring: <c>slots</c> points, each owned by one target. A request hashes to a slot
/// and goes to its owner; a retry walks clockwise to the next slot owned by someone else, and a slot whose owner is
/// unhealthy passes the request on clockwise in the same way.
/// Each slot is given to the target with the highest weighted rendezvous score for that slot, which makes
/// the ring depend only on the set of targets, not on their order: adding a target takes over only the
/// slots it wins (about weight/total of them), removing one hands only its own slots to the others.
/// </summary>
public sealed class HashRing
{
    private readonly int[] _owners;

    public HashRing(BalancerTarget[] targets, int slots)
    {
        _owners = new int[targets.Length == 0 ? 0 : slots];
        if (targets.Length == 0) return;
        var seeds = new ulong[targets.Length];
        for (var i = 0; i < targets.Length; i++) seeds[i] = StableHash.Of(targets[i].Address);
        for (var slot = 0; slot < slots; slot++)
        {
            var best = 0;
            var bestScore = double.MinValue;
            for (var i = 0; i < targets.Length; i++)
            {
                var score = Score(seeds[i], slot, targets[i].Weight);
                if (score > bestScore)
                {
                    best = i;
                    bestScore = score;
                }
            }
            _owners[slot] = best;
        }
    }

    public int Slots => _owners.Length;

    public int SlotOf(ulong hash) => (int)(hash % (ulong)_owners.Length);

    public int OwnerOf(int slot) => _owners[slot];

    /// <summary>
    /// The first slot from <paramref name="slot"/> on (after it, when <paramref name="skipStart"/>) whose owner is not
    /// <paramref name="avoid"/> and is available; -1 when there is none.
    /// </summary>
    public int FindSlot(int slot, bool skipStart, int avoid, ITargetAvailability? availability)
    {
        for (var step = skipStart ? 1 : 0; step < _owners.Length; step++)
        {
            var candidate = (slot + step) % _owners.Length;
            var owner = _owners[candidate];
            if (owner != avoid && (availability is null || availability.IsAvailable(owner))) return candidate;
        }
        return -1;
    }

    // Weighted rendezvous hashing: weight / -ln(u) with u uniform in (0, 1) from the (target, slot) hash.
    private static double Score(ulong seed, int slot, int weight)
    {
        var u = ((StableHash.Of(seed, slot) >> 11) + 0.5) / (1UL << 53);
        return weight / -Math.Log(u);
    }
}
