namespace Gateway.Proxy.LoadBalancing;

/// <summary>
/// Which targets may get traffic right now (health checks decide it; see Gateway.Proxy.Health). A balancer without one
/// uses every target in rotation.
/// </summary>
public interface ITargetAvailability
{
    /// <summary>False when the upstream as a whole is unhealthy (Kong's healthchecks.threshold): no target is given.</summary>
    bool UpstreamAvailable { get; }

    /// <summary>Whether the target at this index of the balancer's targets may get traffic.</summary>
    bool IsAvailable(int target);
}
