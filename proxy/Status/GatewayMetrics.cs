using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Gateway.Proxy.Health;
using Gateway.Proxy.Snapshots;

namespace Gateway.Proxy.Status;

/// <summary>
/// Process-wide counters in Prometheus text format. Recording is one interlocked increment so it can sit
/// on the proxy's request path; rendering happens only when /metrics is scraped. The health of upstream targets is read from
/// the snapshot in service at that moment.
/// </summary>
public sealed class GatewayMetrics(SnapshotHolder? snapshots = null)
{
    private static readonly string[] TargetStates = ["healthchecks_off", "healthy", "unhealthy", "dns_error"];

    private readonly long[] _responsesByStatus = new long[600];
    private long _configReloads;
    private long _configReloadFailures;
    private long _configVersion = -1;
    private long _configLoadedAtUnixMs;
    private int _databaseReachable = -1;
    private long _cacheServes;
    private readonly ConcurrentDictionary<string, int> _rateLimitRedisAvailable = new(StringComparer.Ordinal);
    private long _rateLimitFallbacks;
    private long _connectRetries;
    private long _noResponseRetries;
    private long _upgradesOpened;
    private long _upgradesOpen;
    private readonly long[] _grpcResponsesByStatus = new long[17];
    private readonly ConcurrentDictionary<(string Service, string Kind), long> _upstreamTlsFailures = new();

    public void RecordResponse(int statusCode)
    {
        if ((uint)statusCode < (uint)_responsesByStatus.Length) Interlocked.Increment(ref _responsesByStatus[statusCode]);
    }

    public void RecordConfigLoaded(long version)
    {
        Interlocked.Increment(ref _configReloads);
        Interlocked.Exchange(ref _configVersion, version);
        Interlocked.Exchange(ref _configLoadedAtUnixMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    public void RecordConfigLoadFailed() => Interlocked.Increment(ref _configReloadFailures);

    public void RecordServedFromCache() => Interlocked.Increment(ref _cacheServes);

    public void SetDatabaseReachable(bool reachable) => Interlocked.Exchange(ref _databaseReachable, reachable ? 1 : 0);

    /// <summary>Whether the rate-limiting Redis at <paramref name="endpoint"/> answers.</summary>
    public void SetRateLimitRedisAvailable(string endpoint, bool available) => _rateLimitRedisAvailable[endpoint] = available ? 1 : 0;

    /// <summary>A rate-limit decision made with this node's own counters because Redis could not be used.</summary>
    public void RecordRateLimitFallback() => Interlocked.Increment(ref _rateLimitFallbacks);

    /// <summary>A client connection switched protocols (a WebSocket) and is now tunnelled to an upstream.</summary>
    public void RecordUpgradeOpened()
    {
        Interlocked.Increment(ref _upgradesOpened);
        Interlocked.Increment(ref _upgradesOpen);
    }

    public void RecordUpgradeClosed() => Interlocked.Decrement(ref _upgradesOpen);

    /// <summary>A gRPC response went to the client with this grpc-status (0 to 16).</summary>
    public void RecordGrpcResponse(int grpcStatus)
    {
        if ((uint)grpcStatus < (uint)_grpcResponsesByStatus.Length) Interlocked.Increment(ref _grpcResponsesByStatus[grpcStatus]);
    }

    /// <summary>A try whose TLS handshake with the upstream of <paramref name="service"/> failed, by kind (see Tls.UpstreamTlsFailure).</summary>
    public void RecordUpstreamTlsFailure(string service, string kind) =>
        _upstreamTlsFailures.AddOrUpdate((service, kind), 1, static (_, count) => count + 1);

    public long UpstreamTlsFailures(string service, string kind) => _upstreamTlsFailures.GetValueOrDefault((service, kind));

    /// <summary>1 or 0 as last reported for <paramref name="endpoint"/>; null before any report.</summary>
    public int? RateLimitRedisAvailable(string endpoint) =>
        _rateLimitRedisAvailable.TryGetValue(endpoint, out var available) ? available : null;

    /// <summary>A request sent again after its try could not connect (<paramref name="connecting"/>) or got no response.</summary>
    public void RecordRetry(bool connecting) => Interlocked.Increment(ref connecting ? ref _connectRetries : ref _noResponseRetries);

    public long ConnectRetries => Interlocked.Read(ref _connectRetries);

    public long NoResponseRetries => Interlocked.Read(ref _noResponseRetries);

    public long RateLimitFallbacks => Interlocked.Read(ref _rateLimitFallbacks);

    /// <summary>-1 when there is no database (DB-less), else 0 or 1.</summary>
    public int DatabaseReachable => Volatile.Read(ref _databaseReachable);

    public long ResponsesWithStatus(int statusCode) => Interlocked.Read(ref _responsesByStatus[statusCode]);

    public string Render()
    {
        var text = new StringBuilder();
        text.Append("# HELP tollgate_http_responses_total Responses sent by the proxy, by status code.\n");
        text.Append("# TYPE tollgate_http_responses_total counter\n");
        for (var code = 100; code < _responsesByStatus.Length; code++)
        {
            var count = Interlocked.Read(ref _responsesByStatus[code]);
            if (count > 0) text.Append(CultureInfo.InvariantCulture, $"tollgate_http_responses_total{{code=\"{code}\"}} {count}\n");
        }
        Gauge(text, "tollgate_upgraded_connections", "Client connections upgraded to another protocol (WebSockets) and tunnelled to an upstream, open now.",
            Interlocked.Read(ref _upgradesOpen));
        Counter(text, "tollgate_upgraded_connections_total", "Client connections upgraded to another protocol (WebSockets) and tunnelled to an upstream.",
            Interlocked.Read(ref _upgradesOpened));
        text.Append("# HELP tollgate_grpc_responses_total gRPC responses sent by the proxy, by grpc-status (their HTTP status is 200).\n");
        text.Append("# TYPE tollgate_grpc_responses_total counter\n");
        for (var code = 0; code < _grpcResponsesByStatus.Length; code++)
        {
            var count = Interlocked.Read(ref _grpcResponsesByStatus[code]);
            if (count > 0) text.Append(CultureInfo.InvariantCulture, $"tollgate_grpc_responses_total{{grpc_status=\"{code}\"}} {count}\n");
        }
        Gauge(text, "tollgate_config_version", "Version of the configuration in service.", Interlocked.Read(ref _configVersion));
        Counter(text, "tollgate_config_reloads_total", "Configuration snapshots loaded and swapped in.", Interlocked.Read(ref _configReloads));
        Counter(text, "tollgate_config_reload_failures_total", "Configuration loads that failed (the previous snapshot stayed).",
            Interlocked.Read(ref _configReloadFailures));
        Gauge(text, "tollgate_config_loaded_timestamp_seconds", "When the configuration in service was loaded.",
            Interlocked.Read(ref _configLoadedAtUnixMs) / 1000.0);
        Counter(text, "tollgate_config_cache_loads_total", "Times the last-known-good cache was served because the database was down.",
            Interlocked.Read(ref _cacheServes));
        if (DatabaseReachable >= 0)
            Gauge(text, "tollgate_database_reachable", "1 when the configuration database answers.", DatabaseReachable);
        if (!_rateLimitRedisAvailable.IsEmpty)
        {
            text.Append("# HELP tollgate_ratelimit_redis_available 1 when the rate-limiting Redis answers, 0 while limits are counted per node.\n");
            text.Append("# TYPE tollgate_ratelimit_redis_available gauge\n");
            foreach (var (endpoint, available) in _rateLimitRedisAvailable.OrderBy(e => e.Key, StringComparer.Ordinal))
                text.Append(CultureInfo.InvariantCulture, $"tollgate_ratelimit_redis_available{{endpoint=\"{endpoint}\"}} {available}\n");
        }
        Counter(text, "tollgate_ratelimit_local_fallbacks_total",
            "Rate-limit decisions made with this node's own counters because Redis was unavailable.", Interlocked.Read(ref _rateLimitFallbacks));
        text.Append("# HELP tollgate_upstream_retries_total Requests sent to an upstream again after a failed try, by what failed.\n");
        text.Append("# TYPE tollgate_upstream_retries_total counter\n");
        text.Append(CultureInfo.InvariantCulture, $"tollgate_upstream_retries_total{{reason=\"connect\"}} {ConnectRetries}\n");
        text.Append(CultureInfo.InvariantCulture, $"tollgate_upstream_retries_total{{reason=\"no_response\"}} {NoResponseRetries}\n");
        if (snapshots?.Current is { } snapshot) RenderTargetHealth(text, snapshot.Health);
        if (!_upstreamTlsFailures.IsEmpty)
        {
            text.Append("# HELP tollgate_upstream_tls_failures_total Tries whose TLS handshake with the upstream failed, by service and kind.\n");
            text.Append("# TYPE tollgate_upstream_tls_failures_total counter\n");
            foreach (var ((service, kind), count) in _upstreamTlsFailures.OrderBy(e => e.Key.Service, StringComparer.Ordinal).ThenBy(e => e.Key.Kind, StringComparer.Ordinal))
                text.Append(CultureInfo.InvariantCulture, $"tollgate_upstream_tls_failures_total{{service=\"{service}\",kind=\"{kind}\"}} {count}\n");
        }
        Gauge(text, "tollgate_process_resident_memory_bytes", "Resident memory of the process.", Environment.WorkingSet);
        return text.ToString();
    }

    // Kong's kong_upstream_target_health: one series per state, 1 for the target's state. Names are host names, never quoted text.
    private static void RenderTargetHealth(StringBuilder text, UpstreamHealthSet health)
    {
        var upstreams = health.All.OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
        text.Append("# HELP tollgate_upstream_target_health Health of each upstream target on this node: 1 for its state ")
            .Append("(healthchecks_off, healthy, unhealthy, dns_error), 0 for the others.\n")
            .Append("# TYPE tollgate_upstream_target_health gauge\n");
        foreach (var upstream in upstreams)
        {
            for (var i = 0; i < upstream.Targets.Length; i++)
            {
                var address = upstream.Targets[i].Address;
                var state = upstream.HealthOf(upstream.States[i]).ToLowerInvariant();
                foreach (var candidate in TargetStates)
                    text.Append(CultureInfo.InvariantCulture,
                        $"tollgate_upstream_target_health{{upstream=\"{upstream.Name}\",target=\"{address}\",address=\"{address}\",state=\"{candidate}\"}} {(candidate == state ? 1 : 0)}\n");
            }
        }
        text.Append("# HELP tollgate_upstream_target_health_changes_total Times a target turned healthy or unhealthy on this node.\n")
            .Append("# TYPE tollgate_upstream_target_health_changes_total counter\n");
        foreach (var upstream in upstreams.Where(u => u.ChecksEnabled))
        {
            for (var i = 0; i < upstream.Targets.Length; i++)
            {
                var prefix = $"tollgate_upstream_target_health_changes_total{{upstream=\"{upstream.Name}\",target=\"{upstream.Targets[i].Address}\",state=";
                text.Append(CultureInfo.InvariantCulture, $"{prefix}\"healthy\"}} {upstream.States[i].BecameHealthy}\n");
                text.Append(CultureInfo.InvariantCulture, $"{prefix}\"unhealthy\"}} {upstream.States[i].BecameUnhealthy}\n");
            }
        }
    }

    private static void Counter(StringBuilder text, string name, string help, double value) => Metric(text, name, help, "counter", value);

    private static void Gauge(StringBuilder text, string name, string help, double value) => Metric(text, name, help, "gauge", value);

    private static void Metric(StringBuilder text, string name, string help, string type, double value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value}\n");
}
