using System.Net;
using Gateway.Proxy.Networking;
using Gateway.Proxy.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.Proxy.Proxying;

/// <summary>
/// The X-Forwarded-* and X-Real-IP headers sent upstream. A proxy in front of the gateway (a TLS-terminating load
/// balancer) reports the original client, scheme, host and port in them, but any client can send them too: they are
/// believed only from a peer listed in GATEWAY_TRUSTED_IPS (Kong's trusted_ips). From any other peer the gateway
/// replaces them with what it saw itself, so an upstream never reads a client's claim as the gateway's.
/// </summary>
public static class ForwardedHeaders
{
    public const string ForwardedFor = "X-Forwarded-For";
    public const string ForwardedProto = "X-Forwarded-Proto";
    public const string ForwardedHost = "X-Forwarded-Host";
    public const string ForwardedPort = "X-Forwarded-Port";
    public const string ForwardedPath = "X-Forwarded-Path";
    public const string ForwardedPrefix = "X-Forwarded-Prefix";
    public const string RealIp = "X-Real-IP";

    /// <summary>True when the connection comes from a trusted proxy.</summary>
    public static bool IsTrustedPeer(HttpContext context, IReadOnlyList<IPNetwork> trustedProxies) =>
        trustedProxies.Count > 0 && ClientAddress.Normalize(context.Connection.RemoteIpAddress) is { } peer
                                 && IpNetworks.AnyContains(trustedProxies, peer);

    /// <summary>
    /// Whether the client reached us over https: a TLS connection, or a trusted proxy that says it terminated TLS
    /// (X-Forwarded-Proto: https), so https-only routes and https redirects work behind a load balancer.
    /// </summary>
    public static bool IsHttps(HttpRequest request, bool peerTrusted) =>
        request.IsHttps || peerTrusted && request.Headers[ForwardedProto].ToString().Trim().Equals("https", StringComparison.OrdinalIgnoreCase);

    /// <summary>Sets the forwarded headers of the upstream request.</summary>
    public static void Write(HttpContext context, System.Net.Http.Headers.HttpRequestHeaders upstream, ProxyExchange exchange)
    {
        var request = context.Request;
        var client = request.Headers;
        var trusted = exchange.PeerIsTrusted;
        var peer = ClientAddress.Normalize(context.Connection.RemoteIpAddress)?.ToString() ?? "";

        var forwardedFor = trusted ? client[ForwardedFor] : default;
        Replace(upstream, ForwardedFor, forwardedFor.Count == 0 ? peer : forwardedFor.ToString() + ", " + peer);
        Replace(upstream, ForwardedProto, Claimed(client, ForwardedProto, trusted) ?? request.Scheme);
        Replace(upstream, ForwardedHost, Claimed(client, ForwardedHost, trusted) ?? HostHeader.NameOf(client.Host.ToString()));
        Replace(upstream, ForwardedPort, Claimed(client, ForwardedPort, trusted) ?? PortText(context.Connection.LocalPort));
        Replace(upstream, ForwardedPath, Claimed(client, ForwardedPath, trusted) ?? exchange.RequestPath);
        upstream.Remove(ForwardedPrefix);
        if ((Claimed(client, ForwardedPrefix, trusted) ?? exchange.StrippedPrefix) is { } prefix)
            upstream.TryAddWithoutValidation(ForwardedPrefix, prefix);
        Replace(upstream, RealIp, Claimed(client, RealIp, trusted) ?? ClientIp(context, exchange, peer));
        var via = client.Via;
        var ours = GatewayHeaders.ViaEntry(request.Protocol);
        Replace(upstream, HeaderNames.Via, via.Count == 0 ? ours : via.ToString() + ", " + ours);
    }

    /// <summary>The value a trusted proxy sent, when it sent one.</summary>
    private static string? Claimed(IHeaderDictionary client, string name, bool trusted)
    {
        if (!trusted) return null;
        var value = client[name];
        return value.Count == 0 ? null : value.ToString();
    }

    // Behind trusted proxies the client is the one X-Forwarded-For names (what plugins see as the client address).
    private static string ClientIp(HttpContext context, ProxyExchange exchange, string peer) =>
        exchange.PeerIsTrusted ? exchange.Plugins?.ClientIp ?? ClientAddress.Resolve(context, exchange.TrustedProxies!) : peer;

    internal static void Replace(System.Net.Http.Headers.HttpRequestHeaders headers, string name, string value)
    {
        headers.Remove(name);
        headers.TryAddWithoutValidation(name, value);
    }

    // Servers listen on few ports: remember the last one's text instead of formatting it per request.
    private static PortName _lastPort = new(0, "0");

    private static string PortText(int port)
    {
        var last = _lastPort;
        if (last.Port == port) return last.Text;
        last = new PortName(port, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _lastPort = last;
        return last.Text;
    }

    private sealed record PortName(int Port, string Text);
}
