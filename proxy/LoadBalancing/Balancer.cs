using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.LoadBalancing;

/// <summary>
/// Chooses one of an upstream's targets (by index) for each try of a request. One instance per upstream
/// per configuration snapshot; it is shared by all requests on that snapshot, so picking is thread-safe.
/// </summary>
public abstract class Balancer
{
    protected Balancer(BalancerTarget[] targets, ITargetAvailability? availability)
    {
        Targets = targets;
        Availability = availability;
    }

    /// <summary>The targets in rotation (weight above zero), in a stable order.</summary>
    public BalancerTarget[] Targets { get; }

    /// <summary>Which targets are healthy; null when health checks do not concern this upstream.</summary>
    public ITargetAvailability? Availability { get; }

    /// <summary>
    /// Returns the index of the target for this try, or -1 when there is none (no target in rotation, none healthy, or the
    /// upstream unhealthy as a whole). <paramref name="state"/> lives for one request: it remembers what was tried so that a
    /// retry moves on to another target.
    /// </summary>
    public abstract int Pick(HttpContext context, ref BalancerState state);

    /// <summary>Called once per successful <see cref="Pick"/> when that try is over.</summary>
    public virtual void Release(int target)
    {
    }

    /// <summary>Whether the upstream as a whole may be used (always, without health checks).</summary>
    protected bool UpstreamAvailable => Availability?.UpstreamAvailable ?? true;

    /// <summary>Whether a target may get traffic (always, without health checks).</summary>
    protected bool IsAvailable(int target) => Availability?.IsAvailable(target) ?? true;
}

/// <summary>Per-request balancing memory: the last target tried and, for hashing, the request's hash.</summary>
public struct BalancerState
{
    public BalancerState()
    {
    }

    /// <summary>The target of the previous try, or -1 on the first try.</summary>
    public int Previous { get; set; } = -1;

    public bool HasHash { get; set; }
    public ulong Hash { get; set; }

    /// <summary>Ring position of the previous try, so a retry walks on from there.</summary>
    public int Slot { get; set; } = -1;

    /// <summary>A hash cookie the gateway generated and must send to the client (hash_on = cookie).</summary>
    public string? NewCookieValue { get; set; }
}

/// <summary>One target as the balancer sees it.</summary>
public sealed record BalancerTarget(string Host, int Port, int Weight)
{
    public string Address => Host + ":" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
