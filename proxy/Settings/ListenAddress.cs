using System.Globalization;
using System.Net;

namespace Gateway.Proxy.Settings;

/// <summary>
/// An address to listen on, written "host:port" ("0.0.0.0:8000", "[::1]:8001", "localhost:8001"), and for the proxy
/// listeners Kong's <c>http2</c> flag after it ("0.0.0.0:9080 http2").
/// </summary>
public sealed record ListenAddress(IPAddress Address, int Port)
{
    /// <summary>The listener speaks cleartext HTTP/2 (h2c, by prior knowledge) instead of HTTP/1.x.</summary>
    public bool Http2 { get; init; }

    public bool IsLoopback => IPAddress.IsLoopback(Address);

    /// <summary>Reads "host:port", followed by the <c>http2</c> flag when <paramref name="acceptsHttp2"/>.</summary>
    public static ListenAddress Parse(string variable, string text, bool acceptsHttp2 = false)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var address = ParseHostPort(variable, words.Length == 0 ? text : words[0]);
        for (var i = 1; i < words.Length; i++)
        {
            if (acceptsHttp2 && words[i].Equals("http2", StringComparison.OrdinalIgnoreCase)) address = address with { Http2 = true };
            else if (acceptsHttp2) throw new SettingsException($"{variable} accepts only the flag 'http2' after host:port (got '{words[i]}')");
            else throw new SettingsException($"{variable} must be host:port, without flags (got '{text}')");
        }
        return address;
    }

    private static ListenAddress ParseHostPort(string variable, string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0)
            throw new SettingsException($"{variable} must be host:port, for example 127.0.0.1:8001 (got '{text}')");
        var hostText = text[..colon].Trim('[', ']');
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            throw new SettingsException($"{variable} has an invalid port in '{text}'");
        IPAddress address;
        if (hostText == "localhost") address = IPAddress.Loopback;
        else if (hostText == "*") address = IPAddress.Any;
        else if (!IPAddress.TryParse(hostText, out address!))
            throw new SettingsException($"{variable} must name an IP address or localhost (got '{hostText}')");
        return new ListenAddress(address, port);
    }

    /// <summary>"host:port", without flags: what a URL needs.</summary>
    public override string ToString() =>
        (Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString())
        + ":" + Port.ToString(CultureInfo.InvariantCulture);
}
