using System.Collections.Concurrent;
using Gateway.Proxy.Status;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Proxy.RateLimits;

/// <summary>
/// The node's rate-limit counters, living as long as the process so that configuration changes keep the counts:
/// the local ones, the shared ones in the node's Redis (GATEWAY_REDIS), and those in any other Redis a plugin names.
/// </summary>
public sealed class RateLimitCounters : IDisposable
{
    private readonly ConcurrentDictionary<RedisEndpoint, Lazy<RedisCounters>> _endpoints = new();
    private readonly GatewayMetrics? _metrics;
    private int _warnedNoRedis;

    public RateLimitCounters(string? gatewayRedis, ILoggerFactory? logging = null, GatewayMetrics? metrics = null)
    {
        _metrics = metrics;
        Logger = (logging ?? NullLoggerFactory.Instance).CreateLogger("Gateway.Proxy.RateLimits");
        if (gatewayRedis is not null)
        {
            var (options, timeout) = RedisEndpoint.FromConnectionString(gatewayRedis);
            Gateway = new RedisCounters(options, timeout, Logger, metrics);
        }
    }

    /// <summary>For hosts that register no counters of their own: local counting only.</summary>
    public static RateLimitCounters LocalOnly { get; } = new(null);

    public ILogger Logger { get; }

    public LocalCounters Local { get; } = new();

    /// <summary>The counters in the node's own Redis; null when GATEWAY_REDIS is not set.</summary>
    public RedisCounters? Gateway { get; }

    /// <summary>The counters in the Redis at <paramref name="endpoint"/>, connected on first use.</summary>
    public RedisCounters At(RedisEndpoint endpoint) =>
        _endpoints.GetOrAdd(endpoint, e => new Lazy<RedisCounters>(() =>
        {
            var (options, timeout) = e.ToOptions();
            return new RedisCounters(options, timeout, Logger, _metrics);
        })).Value;

    /// <summary>Says once per process that a shared policy is configured but there is no Redis to share through.</summary>
    public void WarnNoRedis(string policy)
    {
        if (Interlocked.Exchange(ref _warnedNoRedis, 1) == 0)
            Logger.LogWarning("rate limiting: policy '{Policy}' is configured but GATEWAY_REDIS is not set; limits are counted per node", policy);
    }

    public void Dispose()
    {
        Local.Dispose();
        Gateway?.Dispose();
        foreach (var lazy in _endpoints.Values)
            if (lazy.IsValueCreated) lazy.Value.Dispose();
    }
}

/// <summary>Registration of the node's counters.</summary>
public static class RateLimitServices
{
    /// <summary>The process-wide counters, sharing through <paramref name="gatewayRedis"/> when it is set.</summary>
    public static IServiceCollection AddRateLimitCounters(this IServiceCollection services, string? gatewayRedis)
    {
        services.AddSingleton(sp => new RateLimitCounters(gatewayRedis, sp.GetService<ILoggerFactory>(), sp.GetService<GatewayMetrics>()));
        return services;
    }
}
