namespace Gateway.Proxy.Health;

/// <summary>
/// The health of one target of one upstream on this node, changed by passive and active checks and by the Admin API.
/// Every snapshot in which the upstream still has the target shares this object, so its state outlives configuration swaps.
/// Lock-free: the condition and counters are one packed word, changed by compare-and-swap.
/// </summary>
public sealed class TargetHealth
{
    private readonly TargetHealthRegistry _registry;
    private long _bits = HealthCounters.Initial.Pack();
    private long _becameHealthy;
    private long _becameUnhealthy;

    internal TargetHealth(TargetHealthRegistry registry, Guid upstreamId, string upstreamName, string address)
    {
        _registry = registry;
        UpstreamId = upstreamId;
        UpstreamName = upstreamName;
        Address = address;
    }

    public Guid UpstreamId { get; }

    /// <summary>The upstream's name in the latest configuration (for logs and metrics).</summary>
    public string UpstreamName { get; internal set; }

    /// <summary>"host:port", as the target entity writes it.</summary>
    public string Address { get; }

    public HealthCounters Counters => HealthCounters.Unpack(Volatile.Read(ref _bits));

    /// <summary>Whether the target gets traffic.</summary>
    public bool IsHealthy => (Volatile.Read(ref _bits) & 0xFF) <= (long)TargetCondition.MostlyHealthy;

    /// <summary>How many times the target turned healthy, and unhealthy, on this node.</summary>
    public long BecameHealthy => Interlocked.Read(ref _becameHealthy);

    public long BecameUnhealthy => Interlocked.Read(ref _becameUnhealthy);

    /// <summary>Counts a signal of the <paramref name="checker"/> ("passive" or "active") under its rules.</summary>
    public void Report(HealthSignal signal, HealthRules rules, string checker)
    {
        var (counter, limit) = rules.Classify(signal);
        if (limit == 0) return;
        while (true)
        {
            var bits = Volatile.Read(ref _bits);
            var before = HealthCounters.Unpack(bits);
            var after = before.Count(counter, limit);
            if (after == before) return;
            if (Interlocked.CompareExchange(ref _bits, after.Pack(), bits) != bits) continue;
            if (after.IsHealthy != before.IsHealthy) Changed(after.IsHealthy, $"{checker} check, {after.Of(counter)} {Describe(counter)}");
            return;
        }
    }

    /// <summary>A manual verdict: sets the side and clears the counters, as Kong's healthy/unhealthy endpoints do.</summary>
    public void Force(bool healthy)
    {
        var before = HealthCounters.Unpack(Interlocked.Exchange(ref _bits, HealthCounters.Forced(healthy).Pack()));
        if (before.IsHealthy != healthy) Changed(healthy, "set through the Admin API");
    }

    private void Changed(bool healthy, string cause)
    {
        if (healthy) Interlocked.Increment(ref _becameHealthy);
        else Interlocked.Increment(ref _becameUnhealthy);
        _registry.Changed(this, healthy, cause);
    }

    private static string Describe(HealthCounter counter) => counter switch
    {
        HealthCounter.Successes => "successes",
        HealthCounter.HttpFailures => "HTTP failures",
        HealthCounter.TcpFailures => "TCP failures",
        _ => "timeouts",
    };
}
