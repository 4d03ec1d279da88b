namespace Gateway.Proxy.Health;

/// <summary>
/// The active checks of one upstream: every healthy.interval its healthy targets are probed, every unhealthy.interval its
/// unhealthy ones, at most <c>concurrency</c> at a time, and each probe's signal is counted under the active rules.
/// </summary>
public sealed class ActiveProber
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger _logger;
    private readonly Task _loops;

    public ActiveProber(UpstreamHealth upstream, ActiveCheck check, ILogger logger)
    {
        Upstream = upstream;
        Check = check;
        Key = upstream.ProbeKey;
        _logger = logger;
        _loops = Task.WhenAll(
            Task.Run(() => LoopAsync(healthyTargets: true, check.HealthyInterval)),
            Task.Run(() => LoopAsync(healthyTargets: false, check.UnhealthyInterval)));
    }

    public UpstreamHealth Upstream { get; }

    public ActiveCheck Check { get; }

    /// <summary>The <see cref="UpstreamHealth.ProbeKey"/> it was started with.</summary>
    public string Key { get; }

    /// <summary>Stops probing; a probe under way is abandoned and not counted.</summary>
    public Task StopAsync()
    {
        _stop.Cancel();
        return _loops;
    }

    private async Task LoopAsync(bool healthyTargets, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero) return;
        // A round that outlasts the interval delays the next one rather than overlapping it.
        using var timer = new PeriodicTimer(interval < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token)) await ProbeRoundAsync(healthyTargets);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task ProbeRoundAsync(bool healthyTargets)
    {
        var due = new List<int>();
        for (var i = 0; i < Upstream.States.Length; i++)
            if (Upstream.States[i].IsHealthy == healthyTargets) due.Add(i);
        if (due.Count == 0) return;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Check.Concurrency, CancellationToken = _stop.Token };
        await Parallel.ForEachAsync(due, options, async (target, ct) =>
        {
            var host = Upstream.HostHeader ?? Upstream.Targets[target].Host;
            var signal = await TargetProbe.RunAsync(Check, Upstream.Targets[target], host, ct);
            if (!ct.IsCancellationRequested) Upstream.States[target].Report(signal, Check.Rules, "active");
            _logger.LogDebug("probed {Target} of upstream {Upstream}: {Signal}", Upstream.Targets[target].Address, Upstream.Name, signal);
        });
    }
}
