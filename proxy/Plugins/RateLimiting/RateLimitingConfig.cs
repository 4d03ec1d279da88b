using System.Globalization;
using Gateway.Proxy.Entities;
using Gateway.Proxy.RateLimits;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Plugins.RateLimiting;

public sealed record RateLimitingConfig : IEntityRules
{
    public const string HeaderNamePattern = "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$";

    [Description("Requests allowed per second.")]
    public long? Second { get; init; }

    [Description("Requests allowed per minute.")]
    public long? Minute { get; init; }

    [Description("Requests allowed per hour.")]
    public long? Hour { get; init; }

    [Description("Requests allowed per day (UTC).")]
    public long? Day { get; init; }

    [Description("Requests allowed per calendar month (UTC).")]
    public long? Month { get; init; }

    [Description("Requests allowed per calendar year (UTC).")]
    public long? Year { get; init; }

    [OneOf("consumer", "credential", "ip", "service", "header", "path"),
     Description("Who is counted: the consumer or credential (the client address when nobody is authenticated), the client address, the service, a header's value, or a path.")]
    public string LimitBy { get; init; } = "consumer";

    [Matches(HeaderNamePattern, "bad header name"), Description("The header whose value is counted, with limit_by header.")]
    public string? HeaderName { get; init; }

    [Matches("^/", "should start with: /"), Description("The path counted with limit_by path; other paths are counted by client address.")]
    public string? Path { get; init; }

    [OneOf("local", "cluster", "redis"),
     Description("Where counts are kept: local (each node alone), redis (shared through Redis: the node's GATEWAY_REDIS, or redis.host), cluster (shared through the gateway's own Redis, GATEWAY_REDIS).")]
    public string Policy { get; init; } = "local";

    [Description("When Redis cannot be reached, count on each node (true), or answer 500 (false).")]
    public bool FaultTolerant { get; init; } = true;

    [Description("A Redis of its own for this plugin; unset host means the node's GATEWAY_REDIS.")]
    public RateLimitingRedisConfig Redis { get; init; } = new();

    [Description("Send none of the rate-limit headers to the client.")]
    public bool HideClientHeaders { get; init; }

    [Between(100, 599), Description("Status code answered when a limit is exceeded.")]
    public int ErrorCode { get; init; } = 429;

    [Description("Message of the error body when a limit is exceeded.")]
    public string ErrorMessage { get; init; } = "API rate limit exceeded";

    [Description("Accepted for compatibility; counts are always synchronous and exact (Kong's -1).")]
    public double? SyncRate { get; init; } = -1;

    [Description("Older spelling of redis.host.")]
    public string? RedisHost { get; init; }

    [Between(0, 65535), Description("Older spelling of redis.port.")]
    public int? RedisPort { get; init; }

    [Description("Older spelling of redis.password.")]
    public string? RedisPassword { get; init; }

    [Description("Older spelling of redis.username.")]
    public string? RedisUsername { get; init; }

    [Between(0, int.MaxValue), Description("Older spelling of redis.database.")]
    public int? RedisDatabase { get; init; }

    [Between(1, int.MaxValue), Description("Older spelling of redis.timeout.")]
    public int? RedisTimeout { get; init; }

    [Description("Older spelling of redis.ssl.")]
    public bool? RedisSsl { get; init; }

    [Description("Older spelling of redis.ssl_verify.")]
    public bool? RedisSslVerify { get; init; }

    [Description("Older spelling of redis.server_name.")]
    public string? RedisServerName { get; init; }

    /// <summary>The configured limits, each with its window.</summary>
    public IEnumerable<WindowLimit> Limits()
    {
        foreach (var period in RatePeriods.All)
            if (LimitOf(period) is { } limit) yield return new WindowLimit(period, limit);
    }

    public long? LimitOf(RatePeriod period) => period switch
    {
        RatePeriod.Second => Second,
        RatePeriod.Minute => Minute,
        RatePeriod.Hour => Hour,
        RatePeriod.Day => Day,
        RatePeriod.Month => Month,
        _ => Year,
    };

    /// <summary>The plugin's own Redis (redis.*, or the older redis_* fields), or null for the node's GATEWAY_REDIS.</summary>
    public RedisEndpoint? OwnRedis()
    {
        var host = Redis.Host ?? RedisHost;
        if (host is null) return null;
        var timeout = RedisTimeout ?? Redis.ReadTimeout ?? Redis.Timeout;
        return new RedisEndpoint(host, RedisPort ?? Redis.Port, RedisUsername ?? Redis.Username, RedisPassword ?? Redis.Password,
            RedisDatabase ?? Redis.Database, RedisSsl ?? Redis.Ssl, RedisSslVerify ?? Redis.SslVerify,
            RedisServerName ?? Redis.ServerName, timeout, Redis.ConnectTimeout ?? timeout);
    }

    public void Check(FieldErrors errors)
    {
        var any = false;
        foreach (var period in RatePeriods.All)
        {
            if (LimitOf(period) is not { } limit) continue;
            any = true;
            if (limit <= 0) errors.Add(RatePeriods.Name(period), "value must be greater than 0");
        }
        if (!any) errors.AddEntity("at least one of these fields must be non-empty: 'second', 'minute', 'hour', 'day', 'month', 'year'");
        CheckOrder(errors);

        if (LimitBy == "header" && string.IsNullOrEmpty(HeaderName)) errors.Add("header_name", "required field missing: limit_by is 'header'");
        if (LimitBy == "path" && string.IsNullOrEmpty(Path)) errors.Add("path", "required field missing: limit_by is 'path'");

    }

    /// <summary>A longer window may not allow fewer requests than a shorter one (Kong's message, on the longer window's field).</summary>
    private void CheckOrder(FieldErrors errors)
    {
        for (var i = 0; i < RatePeriods.All.Length; i++)
        {
            var shorter = RatePeriods.All[i];
            if (LimitOf(shorter) is not { } low) continue;
            for (var j = i + 1; j < RatePeriods.All.Length; j++)
            {
                var longer = RatePeriods.All[j];
                if (LimitOf(longer) is { } high && high < low)
                {
                    errors.Add(RatePeriods.Name(longer), string.Format(CultureInfo.InvariantCulture,
                        "The limit for {0}({1:0.0}) cannot be lower than the limit for {2}({3:0.0})",
                        RatePeriods.Name(longer), (double)high, RatePeriods.Name(shorter), (double)low));
                }
            }
        }
    }
}

/// <summary>Kong's redis record of the plugin; timeouts are in milliseconds.</summary>
public sealed record RateLimitingRedisConfig
{
    [Description("Redis host; unset means the node's GATEWAY_REDIS.")]
    public string? Host { get; init; }

    [Between(0, 65535)]
    public int Port { get; init; } = 6379;

    [Between(1, int.MaxValue), Description("How long a Redis command may take before the node counts locally instead.")]
    public int Timeout { get; init; } = 2000;

    [Between(1, int.MaxValue)]
    public int? ConnectTimeout { get; init; }

    [Between(1, int.MaxValue), Description("Accepted for compatibility; commands are bounded by timeout or read_timeout.")]
    public int? SendTimeout { get; init; }

    [Between(1, int.MaxValue), Description("Overrides timeout when set.")]
    public int? ReadTimeout { get; init; }

    [Description("Redis ACL user (Redis 6 and newer) that password belongs to; without it, the default user.")]
    public string? Username { get; init; }

    public string? Password { get; init; }

    [Between(0, int.MaxValue)]
    public int Database { get; init; }

    public bool Ssl { get; init; }

    public bool SslVerify { get; init; }

    [Description("TLS server name (SNI) to ask for and verify.")]
    public string? ServerName { get; init; }

    [Between(1, int.MaxValue), Description("Accepted for compatibility; the node keeps one multiplexed connection per Redis.")]
    public int? KeepalivePoolSize { get; init; }

    [Between(0, int.MaxValue), Description("Accepted for compatibility.")]
    public int? KeepaliveBacklog { get; init; }
}
