using System.Text.RegularExpressions;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Entities;

// Kong's upstream `healthchecks` record, field for field, with Kong's defaults: every interval and counter is 0, so
// an upstream checks nothing until one is set.

[Description("How the targets' health is judged: active probes, passive observation of proxied traffic, and the share of weight that must be healthy.")]
public sealed record UpstreamHealthchecks
{
    [Required]
    public ActiveHealthcheck Active { get; init; } = new();

    [Required, Description("Passive checks (the circuit breaker): outcomes of proxied requests count for the target they went to.")]
    public PassiveHealthcheck Passive { get; init; } = new();

    [Required, Between(0, 100), Description("Percentage of the targets' weight that must be healthy for the upstream to take traffic; at or below it every request gets 503.")]
    public double Threshold { get; init; }

    /// <summary>Kong's rule: health checks are on when an active interval or a passive failure counter is set.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Enabled => Active.Healthy.Interval > 0 || Active.Unhealthy.Interval > 0 || Passive.Unhealthy.AnyCounter;
}

[Description("Active checks: a background probe of every target.")]
public sealed partial record ActiveHealthcheck
{
    [Required, OneOf("http", "https", "tcp"), Description("An HTTP or HTTPS GET of http_path, or only a TCP connection.")]
    public string Type { get; init; } = "http";

    [Required, Between(0, 65535), Description("Seconds a probe may take.")]
    public double Timeout { get; init; } = 1;

    [Required, Between(1, int.MaxValue), Description("How many targets are probed at the same time.")]
    public int Concurrency { get; init; } = 10;

    [Required, CheckedBy(typeof(ActiveHealthcheck), nameof(CheckPath)), Description("The path probed.")]
    public string HttpPath { get; init; } = "/";

    [CheckedBy(typeof(Names), nameof(Names.CheckSni)), Description("The server name sent in the TLS handshake of https probes (default: the host header).")]
    public string? HttpsSni { get; init; }

    [Required, Description("Verify the certificate of https probes.")]
    public bool HttpsVerifyCertificate { get; init; } = true;

    [Matches("^[^\r\n\0]*$", "must not contain line breaks or NUL"), Description("Headers sent with every probe: name to values.")]
    public Dictionary<string, string[]>? Headers { get; init; }

    [Required]
    public ActiveHealthy Healthy { get; init; } = new();

    [Required]
    public ActiveUnhealthy Unhealthy { get; init; } = new();

    /// <summary>Kong's typedefs.path, plus what a request line cannot carry: absolute, no empty segment, no space or control character.</summary>
    public static string? CheckPath(string value)
    {
        if (!value.StartsWith('/')) return "should start with: /";
        if (value.Contains("//", StringComparison.Ordinal)) return "must not have empty segments";
        return PathCharacters().IsMatch(value) ? null : "must not contain spaces, control characters, '?' or '#'";
    }

    [GeneratedRegex(@"^[^\x00-\x20\x7F?#]*$")]
    private static partial Regex PathCharacters();
}

[Description("When a target counts as healthy to active probes.")]
public sealed record ActiveHealthy
{
    [Required, Between(0, 65535), Description("Seconds between probes of a healthy target; 0 probes no healthy target.")]
    public double Interval { get; init; }

    [Required, Between(100, 999), Description("Probe statuses that count as successes.")]
    public int[] HttpStatuses { get; init; } = [200, 302];

    [Required, Between(0, 255), Description("Successful probes that make an unhealthy target healthy; 0 disables.")]
    public int Successes { get; init; }
}

[Description("When a target counts as unhealthy to active probes.")]
public sealed record ActiveUnhealthy
{
    [Required, Between(0, 65535), Description("Seconds between probes of an unhealthy target; 0 probes no unhealthy target.")]
    public double Interval { get; init; }

    [Required, Between(100, 999), Description("Probe statuses that count as HTTP failures.")]
    public int[] HttpStatuses { get; init; } = [429, 404, 500, 501, 502, 503, 504, 505];

    [Required, Between(0, 255), Description("Failed connections that make a target unhealthy; 0 disables.")]
    public int TcpFailures { get; init; }

    [Required, Between(0, 255), Description("Timed-out probes that make a target unhealthy; 0 disables.")]
    public int Timeouts { get; init; }

    [Required, Between(0, 255), Description("Probes answered with one of http_statuses that make a target unhealthy; 0 disables.")]
    public int HttpFailures { get; init; }
}

[Description("Passive checks: what proxied traffic tells about a target.")]
public sealed record PassiveHealthcheck
{
    [Required, OneOf("http", "https", "tcp"), Description("Accepted for compatibility: proxied requests are HTTP.")]
    public string Type { get; init; } = "http";

    [Required]
    public PassiveHealthy Healthy { get; init; } = new();

    [Required]
    public PassiveUnhealthy Unhealthy { get; init; } = new();
}

[Description("When proxied traffic makes a target healthy.")]
public sealed record PassiveHealthy
{
    [Required, Between(100, 999), Description("Upstream statuses that count as successes.")]
    public int[] HttpStatuses { get; init; } =
        [200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 306, 307, 308];

    [Required, Between(0, 255), Description("Successes that make an unhealthy target healthy; with 0, successes are not counted and failures add up.")]
    public int Successes { get; init; }
}

[Description("When proxied traffic makes a target unhealthy.")]
public sealed record PassiveUnhealthy
{
    [Required, Between(100, 999), Description("Upstream statuses that count as HTTP failures.")]
    public int[] HttpStatuses { get; init; } = [429, 500, 503];

    [Required, Between(0, 255), Description("Failed or broken connections that make a target unhealthy; 0 disables.")]
    public int TcpFailures { get; init; }

    [Required, Between(0, 255), Description("Timed-out requests that make a target unhealthy; 0 disables.")]
    public int Timeouts { get; init; }

    [Required, Between(0, 255), Description("Responses with one of http_statuses that make a target unhealthy; 0 disables.")]
    public int HttpFailures { get; init; }

    /// <summary>Whether any failure counter is set, which is what turns passive checks on.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool AnyCounter => TcpFailures > 0 || Timeouts > 0 || HttpFailures > 0;
}
