using System.Net;
using Gateway.Proxy.Routing;

namespace Gateway.Proxy.Admin.Browsers;

/// <summary>
/// Whether a Host header names the loopback interface: <c>localhost</c>, an address in 127.0.0.0/8, or <c>[::1]</c>,
/// with or without a port. Without a token this is what keeps DNS rebinding out: a page on <c>evil.example</c> whose
/// name is made to resolve to 127.0.0.1 reaches the listener, but its requests still say <c>Host: evil.example</c>.
/// Subdomains of localhost (<c>app.localhost</c>) do not count: whether they resolve to loopback is up to each
/// client's resolver, not a guarantee.
/// </summary>
public static class LoopbackHost
{
    public static bool Names(string host)
    {
        var name = HostHeader.Split(host, out _);
        // IPAddress parses "[::1]" with its brackets; IsLoopback covers 127.0.0.0/8, ::1 and ::ffff:127.x.y.z.
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
    }
}
