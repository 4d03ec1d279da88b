using System.Globalization;
using System.Net;

namespace Gateway.Proxy.Entities;

/// <summary>A parsed "host[:port]" target. Kong's default target port is 8000.</summary>
public readonly record struct TargetAddress(string Host, int Port)
{
    public const int DefaultPort = 8000;

    public static bool TryParse(string value, out TargetAddress address)
    {
        address = default;
        string host;
        var port = DefaultPort;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']');
            if (close < 0) return false;
            host = value[1..close];
            var rest = value[(close + 1)..];
            if (rest.Length > 0 && (!rest.StartsWith(':') || !TryPort(rest[1..], out port))) return false;
            if (!IPAddress.TryParse(host, out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return false;
            host = "[" + host + "]";
        }
        else
        {
            var colon = value.IndexOf(':');
            if (colon >= 0 && value.LastIndexOf(':') != colon)
            {
                // A bare IPv6 address without brackets and without port.
                if (!IPAddress.TryParse(value, out _)) return false;
                address = new TargetAddress("[" + value + "]", DefaultPort);
                return true;
            }
            host = colon < 0 ? value : value[..colon];
            if (colon >= 0 && !TryPort(value[(colon + 1)..], out port)) return false;
            if (!Names.IsHostOrIp(host)) return false;
        }
        address = new TargetAddress(host, port);
        return true;
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    public override string ToString() => Host + ":" + Port.ToString(CultureInfo.InvariantCulture);
}
