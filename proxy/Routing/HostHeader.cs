using System.Globalization;

namespace Gateway.Proxy.Routing;

/// <summary>Reading a Host header value ("Example.com:8000", "[::1]:80") without allocating.</summary>
public static class HostHeader
{
    /// <summary>The name part (IPv6 addresses keep their brackets); <paramref name="port"/> is 0 when absent.</summary>
    public static ReadOnlySpan<char> Split(ReadOnlySpan<char> value, out int port)
    {
        port = 0;
        int colon;
        if (value.Length > 0 && value[0] == '[')
        {
            var close = value.IndexOf(']');
            if (close < 0) return value;
            colon = close + 1 < value.Length && value[close + 1] == ':' ? close + 1 : -1;
        }
        else
        {
            colon = value.IndexOf(':');
        }
        if (colon < 0) return value;
        if (int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) port = parsed;
        return value[..colon];
    }

    /// <summary>Like nginx's $host: the name part, lower-cased.</summary>
    public static string NameOf(string value)
    {
        var name = Split(value, out _);
        return name.Length == value.Length ? value.ToLowerInvariant() : name.ToString().ToLowerInvariant();
    }
}
