namespace Gateway.Proxy.Health;

/// <summary>
/// Keeps the node's health checking in step with the configuration in service. On every swap (<see cref="Apply"/>) it lets the
/// registry forget targets that left, and starts, keeps or stops each upstream's <see cref="ActiveProber"/>: a prober whose
/// upstream, targets and active settings are unchanged keeps running, so frequent configuration changes do not delay probes.
/// </summary>
public sealed class ActiveHealthChecks(TargetHealthRegistry registry, ILogger<ActiveHealthChecks>? logger = null) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, ActiveProber> _probers = [];
    private readonly ILogger _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    private bool _disposed;

    /// <summary>The probers running now (for inspection and tests).</summary>
    public IReadOnlyList<ActiveProber> Probers
    {
        get
        {
            lock (_gate) return [.. _probers.Values];
        }
    }

    /// <summary>Called with the health of each configuration swapped into service.</summary>
    public void Apply(UpstreamHealthSet inService)
    {
        registry.Retain(inService.Tracked());
        lock (_gate)
        {
            if (_disposed) return;
            foreach (var (id, prober) in _probers.ToList())
            {
                if (inService.For(id) is { Active: not null } upstream && upstream.ProbeKey == prober.Key) continue;
                _ = prober.StopAsync();
                _probers.Remove(id);
            }
            foreach (var upstream in inService.All)
            {
                if (upstream.Active is { } check && !_probers.ContainsKey(upstream.UpstreamId))
                    _probers[upstream.UpstreamId] = new ActiveProber(upstream, check, _logger);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        ActiveProber[] probers;
        lock (_gate)
        {
            _disposed = true;
            probers = [.. _probers.Values];
            _probers.Clear();
        }
        await Task.WhenAll(probers.Select(p => p.StopAsync()));
    }
}
