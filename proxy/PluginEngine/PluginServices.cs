using System.Net;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Proxy.PluginEngine;

/// <summary>
/// Node-wide things plugins share across snapshots: which proxies in front of the gateway are trusted to report
/// the client address, the clock and logging. Created once per process.
/// </summary>
public sealed class PluginServices
{
    public static readonly PluginServices Default = new();

    /// <summary>Peers whose X-Forwarded-For is believed (Kong's trusted_ips); empty trusts nobody.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public ILoggerFactory Logging { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Components that live as long as the process (such as rate-limit counters), by type.</summary>
    public IServiceProvider? Shared { get; init; }

    public T? Get<T>() where T : class => Shared?.GetService(typeof(T)) as T;
}
