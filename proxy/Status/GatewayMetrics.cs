using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Gateway.Proxy.Status;

/// <summary>
/// Process-wide counters in Prometheus text format. Recording is one interlocked increment so it can sit
/// on the proxy's request path; rendering happens only when /metrics is scraped.
/// </summary>
public sealed class GatewayMetrics
{
    private readonly long[] _responsesByStatus = new long[600];
    private long _configReloads;
    private long _configReloadFailures;
    private long _configVersion = -1;
    private long _configLoadedAtUnixMs;
    private int _databaseReachable = -1;
    private long _cacheServes;
    private readonly ConcurrentDictionary<string, int> _rateLimitRedisAvailable = new(StringComparer.Ordinal);
    private long _rateLimitFallbacks;
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

    /// <summary>A try whose TLS handshake with the upstream of <paramref name="service"/> failed, by kind (see Tls.UpstreamTlsFailure).</summary>
    public void RecordUpstreamTlsFailure(string service, string kind) =>
        _upstreamTlsFailures.AddOrUpdate((service, kind), 1, static (_, count) => count + 1);

    public long UpstreamTlsFailures(string service, string kind) => _upstreamTlsFailures.GetValueOrDefault((service, kind));

    /// <summary>1 or 0 as last reported for <paramref name="endpoint"/>; null before any report.</summary>
    public int? RateLimitRedisAvailable(string endpoint) =>
        _rateLimitRedisAvailable.TryGetValue(endpoint, out var available) ? available : null;

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

    private static void Counter(StringBuilder text, string name, string help, double value) => Metric(text, name, help, "counter", value);

    private static void Gauge(StringBuilder text, string name, string help, double value) => Metric(text, name, help, "gauge", value);

    private static void Metric(StringBuilder text, string name, string help, string type, double value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value}\n");
}
