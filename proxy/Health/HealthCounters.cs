namespace Gateway.Proxy.Health;

/// <summary>
/// Where a target stands, as Kong's health checker keeps it: fully healthy or unhealthy, or on its way to the other side
/// ("mostly"), which still counts as the side it came from. A fully healthy target does not count successes and a fully
/// unhealthy one does not count failures.
/// </summary>
public enum TargetCondition : byte { Healthy, MostlyHealthy, MostlyUnhealthy, Unhealthy }

/// <summary>The four counters of a target; successes drive it towards healthy, the three failure kinds towards unhealthy.</summary>
public enum HealthCounter : byte { Successes, HttpFailures, TcpFailures, Timeouts }

/// <summary>
/// A target's condition and counters, and how a counted signal changes them (Kong's lua-resty-healthcheck rules). Pure and
/// small enough to live in one 64-bit word, so a target's state changes with one compare-and-swap.
/// </summary>
public readonly record struct HealthCounters(TargetCondition Condition, byte Successes, byte HttpFailures, byte TcpFailures, byte Timeouts)
{
    /// <summary>A new target: healthy, nothing counted.</summary>
    public static readonly HealthCounters Initial = default;

    /// <summary>Whether the target gets traffic.</summary>
    public bool IsHealthy => Condition <= TargetCondition.MostlyHealthy;

    /// <summary>A manual verdict: the condition set, every counter cleared.</summary>
    public static HealthCounters Forced(bool healthy) => new(healthy ? TargetCondition.Healthy : TargetCondition.Unhealthy, 0, 0, 0, 0);

    /// <summary>
    /// Counts one occurrence against <paramref name="limit"/> (0: this counter is disabled). A success clears the failure
    /// counters and a failure clears the success counter; reaching the limit moves the target to that side.
    /// </summary>
    public HealthCounters Count(HealthCounter counter, int limit)
    {
        if (limit <= 0) return this;
        var towardsHealthy = counter == HealthCounter.Successes;
        if (Condition == (towardsHealthy ? TargetCondition.Healthy : TargetCondition.Unhealthy)) return this;

        var value = (byte)Math.Min(byte.MaxValue, Of(counter) + 1);
        var next = towardsHealthy
            ? new HealthCounters(Condition, value, 0, 0, 0)
            : With(counter, value) with { Successes = 0 };
        var condition = Condition;
        if (value >= limit) condition = towardsHealthy ? TargetCondition.Healthy : TargetCondition.Unhealthy;
        else if (Condition == TargetCondition.Healthy && !towardsHealthy) condition = TargetCondition.MostlyHealthy;
        else if (Condition == TargetCondition.Unhealthy && towardsHealthy) condition = TargetCondition.MostlyUnhealthy;
        return next with { Condition = condition };
    }

    public int Of(HealthCounter counter) => counter switch
    {
        HealthCounter.Successes => Successes,
        HealthCounter.HttpFailures => HttpFailures,
        HealthCounter.TcpFailures => TcpFailures,
        _ => Timeouts,
    };

    private HealthCounters With(HealthCounter counter, byte value) => counter switch
    {
        HealthCounter.Successes => this with { Successes = value },
        HealthCounter.HttpFailures => this with { HttpFailures = value },
        HealthCounter.TcpFailures => this with { TcpFailures = value },
        _ => this with { Timeouts = value },
    };

    public long Pack() =>
        (long)Condition | (long)Successes << 8 | (long)HttpFailures << 16 | (long)TcpFailures << 24 | (long)Timeouts << 32;

    public static HealthCounters Unpack(long bits) =>
        new((TargetCondition)(bits & 0xFF), (byte)(bits >> 8), (byte)(bits >> 16), (byte)(bits >> 24), (byte)(bits >> 32));
}
