using System.Globalization;

namespace Gateway.Proxy.Routing;

/// <summary>
/// One entry of a route's <c>hosts</c>: an exact name, a leading wildcard ("*.example.com": any name ending
/// in ".example.com"), or a trailing wildcard ("example.*": any name starting with "example."), with an
/// optional port the request must have arrived on. Names compare case-insensitively.
/// </summary>
public sealed class HostRule
{
    public enum Kinds { Exact, Suffix, Prefix }

    private HostRule(Kinds kind, string value, int port)
    {
        Kind = kind;
        Value = value;
        Port = port;
    }

    public Kinds Kind { get; }

    /// <summary>Lower-case: "example.com" (exact), ".example.com" (suffix), "example." (prefix).</summary>
    public string Value { get; }

    /// <summary>Required port, or 0 for any port.</summary>
    public int Port { get; }

    public bool IsWildcard => Kind != Kinds.Exact;

    public static HostRule Parse(string routeHost)
    {
        var host = routeHost;
        var port = 0;
        // Like Kong, the port follows the first ':' (bracketed IPv6 addresses keep theirs).
        var colon = host.StartsWith('[') ? host.IndexOf("]:", StringComparison.Ordinal) + 1 : host.IndexOf(':');
        if (colon > 0 && int.TryParse(host.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            port = parsed;
            host = host[..colon];
        }
        host = host.ToLowerInvariant();
        if (host.StartsWith('*')) return new HostRule(Kinds.Suffix, host[1..], port);
        if (host.EndsWith('*')) return new HostRule(Kinds.Prefix, host[..^1], port);
        return new HostRule(Kinds.Exact, host, port);
    }

    public bool Matches(ReadOnlySpan<char> host, int port) =>
        (Port == 0 || Port == port) && MatchesName(host);

    public bool MatchesName(ReadOnlySpan<char> host) => Kind switch
    {
        Kinds.Exact => host.Equals(Value, StringComparison.OrdinalIgnoreCase),
        Kinds.Suffix => host.Length > Value.Length && host.EndsWith(Value, StringComparison.OrdinalIgnoreCase),
        _ => host.Length > Value.Length && host.StartsWith(Value, StringComparison.OrdinalIgnoreCase),
    };

    public override string ToString() =>
        (Kind == Kinds.Suffix ? "*" : "") + Value + (Kind == Kinds.Prefix ? "*" : "") +
        (Port == 0 ? "" : ":" + Port.ToString(CultureInfo.InvariantCulture));
}
