using Gateway.Proxy.Entities;
using Gateway.Proxy.LoadBalancing;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Health;

/// <summary>
/// One upstream's health as one configuration snapshot sees it: its targets in rotation (index-aligned with its balancer) and
/// their states, the passive rules applied to proxied tries, the active checks, and the threshold below which the whole
/// upstream is unhealthy. Built with the snapshot; the target states themselves are the node's and outlive it.
/// </summary>
public sealed class UpstreamHealth : ITargetAvailability
{
    private readonly TargetHealthRegistry _registry;

    // The upstream-wide verdict, cached against the registry's change count: (changes << 1) | available, or -1.
    private long _verdict = -1;

    public UpstreamHealth(Upstream upstream, BalancerTarget[] targets, TargetHealthRegistry registry)
    {
        var checks = upstream.Healthchecks;
        _registry = registry;
        UpstreamId = upstream.Id;
        Name = upstream.Name!;
        HostHeader = upstream.HostHeader;
        Targets = targets;
        ChecksEnabled = checks.Enabled;
        Threshold = checks.Threshold;
        var passive = HealthRules.Of(checks.Passive);
        Passive = ChecksEnabled && passive.CountsAnything ? passive : null;
        Active = ChecksEnabled ? ActiveCheck.For(checks.Active) : null;
        States = new TargetHealth[targets.Length];
        for (var i = 0; i < targets.Length; i++)
        {
            States[i] = ChecksEnabled
                ? registry.Track(UpstreamId, Name, targets[i].Address)
                : registry.Untracked(UpstreamId, Name, targets[i].Address);
        }
    }

    public Guid UpstreamId { get; }

    public string Name { get; }

    /// <summary>The upstream's host_header: the Host of active probes when set.</summary>
    public string? HostHeader { get; }

    /// <summary>The targets in rotation, in the balancer's order.</summary>
    public BalancerTarget[] Targets { get; }

    /// <summary>The state of each target, index-aligned with <see cref="Targets"/>.</summary>
    public TargetHealth[] States { get; }

    /// <summary>Kong's rule: an active interval or a passive failure counter is set (else targets are HEALTHCHECKS_OFF).</summary>
    public bool ChecksEnabled { get; }

    /// <summary>healthchecks.threshold: the percentage of weight that must be healthy.</summary>
    public double Threshold { get; }

    /// <summary>How proxied tries count; null when passive checks count nothing.</summary>
    public HealthRules? Passive { get; }

    /// <summary>How targets are probed; null when no active interval is set.</summary>
    public ActiveCheck? Active { get; }

    /// <summary>Whether health can keep a request from a target: checks are on, or a threshold is set.</summary>
    public bool AffectsTraffic => ChecksEnabled || Threshold > 0;

    /// <summary>What identifies this upstream's active prober: a swap that leaves it equal keeps the prober running.</summary>
    public string ProbeKey => $"{Name}|{HostHeader}|{string.Join(',', Targets.Select(t => t.Address))}|{Active?.Key}";

    public bool IsAvailable(int target) => States[target].IsHealthy;

    /// <summary>
    /// Kong's balancer health: the healthy share of the targets' weight must be above the threshold (and some weight must
    /// exist). Recomputed only after a target changed sides.
    /// </summary>
    public bool UpstreamAvailable
    {
        get
        {
            var changes = _registry.Changes;
            var verdict = Volatile.Read(ref _verdict);
            if (verdict >= 0 && verdict >> 1 == changes) return (verdict & 1) == 1;
            var (total, available) = Weights();
            var healthy = IsHealthy(total, available, Threshold);
            Volatile.Write(ref _verdict, changes << 1 | (healthy ? 1L : 0L));
            return healthy;
        }
    }

    /// <summary>The total weight of the targets in rotation and the weight of the healthy ones.</summary>
    public (long Total, long Available) Weights()
    {
        long total = 0, available = 0;
        for (var i = 0; i < Targets.Length; i++)
        {
            total += Targets[i].Weight;
            if (States[i].IsHealthy) available += Targets[i].Weight;
        }
        return (total, available);
    }

    public static bool IsHealthy(long totalWeight, long availableWeight, double threshold) =>
        totalWeight > 0 && availableWeight * 100.0 / totalWeight > threshold;

    /// <summary>Counts the outcome of one proxied try for the target it went to (the passive check).</summary>
    public void Report(int peer, ForwarderError error, HttpContext context)
    {
        if (Passive is null || (uint)peer >= (uint)States.Length) return;
        var signal = HealthSignal.OfTry(error, context);
        if (signal.Kind != SignalKind.None) States[peer].Report(signal, Passive, "passive");
    }

    /// <summary>A target's health as Kong's Admin API names it: HEALTHY, UNHEALTHY, or HEALTHCHECKS_OFF when checks are off.</summary>
    public string HealthOf(TargetHealth state) => !ChecksEnabled ? "HEALTHCHECKS_OFF" : state.IsHealthy ? "HEALTHY" : "UNHEALTHY";

    /// <summary>The state of the target at <paramref name="address"/> ("host:port"), or null when it is not in rotation.</summary>
    public TargetHealth? StateOf(string address)
    {
        for (var i = 0; i < Targets.Length; i++)
            if (Targets[i].Address == address) return States[i];
        return null;
    }
}
