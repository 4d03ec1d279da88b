using System.Text;
using System.Text.Json;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Health;

/// <summary>An upstream's healthchecks.active, compiled for the prober: intervals and timeout as time spans, the probe's request head.</summary>
public sealed class ActiveCheck
{
    private readonly string _requestTail;

    private ActiveCheck(ActiveHealthcheck active)
    {
        Type = active.Type;
        Timeout = TimeSpan.FromSeconds(active.Timeout);
        Concurrency = active.Concurrency;
        HttpsSni = active.HttpsSni;
        VerifyCertificate = active.HttpsVerifyCertificate;
        HealthyInterval = TimeSpan.FromSeconds(active.Healthy.Interval);
        UnhealthyInterval = TimeSpan.FromSeconds(active.Unhealthy.Interval);
        Rules = HealthRules.Of(active);
        Key = JsonSerializer.Serialize(active, EntityJson.Compact);
        var tail = new StringBuilder("Connection: close\r\n");
        if (active.Headers is not null)
        {
            foreach (var (name, values) in active.Headers)
                foreach (var value in values) tail.Append(name).Append(": ").Append(value).Append("\r\n");
        }
        _requestTail = tail.Append("\r\n").ToString();
        RequestLine = "GET " + active.HttpPath + " HTTP/1.1\r\n";
    }

    /// <summary>"http", "https" or "tcp".</summary>
    public string Type { get; }

    public TimeSpan Timeout { get; }

    public int Concurrency { get; }

    public string? HttpsSni { get; }

    public bool VerifyCertificate { get; }

    /// <summary>How often healthy targets are probed; zero: never.</summary>
    public TimeSpan HealthyInterval { get; }

    /// <summary>How often unhealthy targets are probed; zero: never.</summary>
    public TimeSpan UnhealthyInterval { get; }

    public HealthRules Rules { get; }

    /// <summary>The settings as text: equal keys probe alike.</summary>
    public string Key { get; }

    public string RequestLine { get; }

    /// <summary>null when no interval is set, so nothing is probed.</summary>
    public static ActiveCheck? For(ActiveHealthcheck active) =>
        active.Healthy.Interval > 0 || active.Unhealthy.Interval > 0 ? new ActiveCheck(active) : null;

    /// <summary>The probe's request, as Kong's checker writes it: Host, Connection: close, then the configured headers.</summary>
    public byte[] Request(string host) => Encoding.ASCII.GetBytes(RequestLine + "Host: " + host + "\r\n" + _requestTail);
}
