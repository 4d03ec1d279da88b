using System.Net;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Proxy.PluginEngine;

/// <summary>
/// Node-wide things plugins share across snapshots: which proxies in front of the gateway are trusted to report
/// the client address, the clock, how much of a body plugins may buffer, and logging. Created once per process.
/// </summary>
public sealed class PluginServices
{
    public static readonly PluginServices Default = new();

    /// <summary>Peers whose X-Forwarded-For is believed (Kong's trusted_ips); empty trusts nobody.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// The most bytes of a request or response body a plugin reads into memory, and of a request body kept so that a
    /// failed try can be sent again (GATEWAY_PLUGIN_BODY_BUFFER).
    /// </summary>
    public int BodyBufferSize { get; init; } = DefaultBodyBufferSize;

    public const int DefaultBodyBufferSize = 1024 * 1024;

    public ILoggerFactory Logging { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Components that live as long as the process (such as rate-limit counters), by type.</summary>
    public IServiceProvider? Shared { get; init; }

    public T? Get<T>() where T : class => Shared?.GetService(typeof(T)) as T;
}
