using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.LoadBalancing;

/// <summary>
/// Smooth weighted round-robin (as nginx does it: weights 5,1,1 give a,a,b,a,c,a,a rather than a,a,a,a,a,b,c).
/// The order of one full cycle is computed when the snapshot is built, so a pick is one atomic increment
/// and an array read: no lock, deterministic, and every replica produces the same sequence. Unhealthy targets are passed
/// over in the sequence, so the healthy ones keep their shares relative to each other.
/// </summary>
public sealed class RoundRobinBalancer : Balancer
{
    /// <summary>Longest cycle kept; beyond it the first part of the cycle repeats (shares stay within n/65536).</summary>
    public const int MaxSequenceLength = 65536;

    private readonly int[] _sequence;
    private int _next = -1;

    public RoundRobinBalancer(BalancerTarget[] targets, ITargetAvailability? availability = null) : base(targets, availability)
    {
        _sequence = SmoothSequence(targets);
    }

    public override int Pick(HttpContext context, ref BalancerState state)
    {
        if (_sequence.Length == 0 || !UpstreamAvailable) return -1;
        var target = Next();
        // A retry must not go back to the target that just failed, unless it is the only one left.
        for (var i = 0; i < _sequence.Length && !Acceptable(target, state.Previous); i++) target = Next();
        if (!Acceptable(target, state.Previous))
        {
            if (state.Previous < 0 || !IsAvailable(state.Previous)) return -1;
            target = state.Previous;
        }
        state.Previous = target;
        return target;
    }

    private bool Acceptable(int target, int previous) => (target != previous || Targets.Length == 1) && IsAvailable(target);

    private int Next() => _sequence[(int)((uint)Interlocked.Increment(ref _next) % (uint)_sequence.Length)];

    /// <summary>One cycle of smooth weighted round-robin, shortened by the weights' common divisor.</summary>
    public static int[] SmoothSequence(BalancerTarget[] targets)
    {
        if (targets.Length == 0) return [];
        long divisor = 0, total = 0;
        foreach (var target in targets)
        {
            divisor = Gcd(divisor, target.Weight);
            total += target.Weight;
        }
        var length = (int)Math.Min(total / divisor, MaxSequenceLength);
        var sequence = new int[length];
        var current = new long[targets.Length];
        for (var step = 0; step < length; step++)
        {
            var best = 0;
            for (var i = 0; i < targets.Length; i++)
            {
                current[i] += targets[i].Weight / divisor;
                if (current[i] > current[best]) best = i;
            }
            current[best] -= total / divisor;
            sequence[step] = best;
        }
        return sequence;
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
