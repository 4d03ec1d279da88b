using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Proxy.Health;

public static class HealthCheckExtensions
{
    /// <summary>
    /// Registers the node's target health (<see cref="TargetHealthRegistry"/>) and its active probers
    /// (<see cref="ActiveHealthChecks"/>); the host hands every snapshot swapped into service to the latter.
    /// </summary>
    public static IServiceCollection AddUpstreamHealthChecks(this IServiceCollection services)
    {
        services.TryAddSingleton<TargetHealthRegistry>();
        services.TryAddSingleton<ActiveHealthChecks>();
        return services;
    }
}
