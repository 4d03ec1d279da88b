namespace Gateway.Proxy.Health;

/// <summary>
/// The node's target health, kept for the life of the process like the upstream connection pools: one
/// <see cref="TargetHealth"/> per upstream id and target address while the configuration in service has that target with
/// health checks on. A configuration that keeps the upstream and the address keeps the state; a new address starts healthy.
/// </summary>
public sealed class TargetHealthRegistry(ILogger<TargetHealthRegistry>? logger = null)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(Guid Upstream, string Address), TargetHealth> _targets = [];
    private long _changes;

    /// <summary>Grows with every change of any target's side, so that what is derived from target health can be cached against it.</summary>
    public long Changes => Volatile.Read(ref _changes);

    /// <summary>How many targets are tracked.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _targets.Count;
        }
    }

    /// <summary>The state of a target whose upstream has health checks on: the one kept, or a new healthy one.</summary>
    public TargetHealth Track(Guid upstreamId, string upstreamName, string address)
    {
        lock (_gate)
        {
            if (_targets.TryGetValue((upstreamId, address), out var target))
            {
                target.UpstreamName = upstreamName;
                return target;
            }
            target = new TargetHealth(this, upstreamId, upstreamName, address);
            _targets[(upstreamId, address)] = target;
            return target;
        }
    }

    /// <summary>A state that is not kept: for upstreams without health checks, whose targets are always healthy.</summary>
    public TargetHealth Untracked(Guid upstreamId, string upstreamName, string address) => new(this, upstreamId, upstreamName, address);

    /// <summary>Forgets every target that is not in <paramref name="inService"/> (removed, or its upstream's checks turned off).</summary>
    public void Retain(IEnumerable<TargetHealth> inService)
    {
        var keep = new HashSet<TargetHealth>(inService, ReferenceEqualityComparer.Instance);
        lock (_gate)
        {
            foreach (var (key, target) in _targets.ToList())
                if (!keep.Contains(target)) _targets.Remove(key);
        }
    }

    internal void Changed(TargetHealth target, bool healthy, string cause)
    {
        Interlocked.Increment(ref _changes);
        logger?.LogWarning("upstream {Upstream} target {Target} is {Health} ({Cause})", target.UpstreamName, target.Address,
            healthy ? "healthy" : "unhealthy", cause);
    }
}
