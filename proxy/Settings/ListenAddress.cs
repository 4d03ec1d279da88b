using System.Globalization;
using System.Net;

namespace Gateway.Proxy.Settings;

/// <summary>An address to listen on, written "host:port" ("0.0.0.0:8000", "[::1]:8001", "localhost:8001").</summary>
public sealed record ListenAddress(IPAddress Address, int Port)
{
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    public static ListenAddress Parse(string variable, string text)
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

    public override string ToString() =>
        (Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString())
        + ":" + Port.ToString(CultureInfo.InvariantCulture);
}
