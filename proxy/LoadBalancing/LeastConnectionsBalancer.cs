using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.LoadBalancing;

/// <summary>
/// Sends each try to the target with the fewest requests in flight relative to its weight, as Kong's
/// least-connections does: the lowest (in_flight + 1) / weight wins. Counts are plain atomics; two
/// concurrent picks may occasionally choose the same target, which only evens out on the next picks.
/// Equal candidates are taken in rotation so that an idle upstream still spreads its load. Unhealthy targets are not candidates.
/// </summary>
public sealed class LeastConnectionsBalancer : Balancer
{
    private readonly int[] _inFlight;
    private int _rotation = -1;

    public LeastConnectionsBalancer(BalancerTarget[] targets, ITargetAvailability? availability = null) : base(targets, availability)
    {
        _inFlight = new int[targets.Length];
    }

    /// <summary>Requests currently being served by a target.</summary>
    public int InFlight(int target) => Volatile.Read(ref _inFlight[target]);

    public override int Pick(HttpContext context, ref BalancerState state)
    {
        var count = Targets.Length;
        if (count == 0 || !UpstreamAvailable) return -1;
        var start = (int)((uint)Interlocked.Increment(ref _rotation) % (uint)count);
        var best = -1;
        for (var n = 0; n < count; n++)
        {
            var i = (start + n) % count;
            if ((i == state.Previous && count > 1) || !IsAvailable(i)) continue;
            if (best < 0 || Lighter(i, best)) best = i;
        }
        // A retry goes back to the target that just failed only when no other one is healthy.
        if (best < 0 && state.Previous >= 0 && IsAvailable(state.Previous)) best = state.Previous;
        if (best < 0) return -1;
        Interlocked.Increment(ref _inFlight[best]);
        state.Previous = best;
        return best;
    }

    public override void Release(int target) => Interlocked.Decrement(ref _inFlight[target]);

    // (a + 1) / wa < (b + 1) / wb, compared without division.
    private bool Lighter(int a, int b) =>
        (Volatile.Read(ref _inFlight[a]) + 1L) * Targets[b].Weight < (Volatile.Read(ref _inFlight[b]) + 1L) * Targets[a].Weight;
}
