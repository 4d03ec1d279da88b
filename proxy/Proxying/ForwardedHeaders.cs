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

    /// <summary>
    /// Other spellings of the same claims that frameworks read (RFC 7239's Forwarded in Spring and ASP.NET Core,
    /// X-Forwarded-Ssl and -Scheme in Rails and Rack, …): passed on only from a trusted proxy.
    /// </summary>
    private static readonly string[] OtherClaims =
        ["Forwarded", "X-Forwarded-Server", "X-Forwarded-Ssl", "X-Forwarded-Scheme", "X-Original-Host"];

    /// <summary>
    /// Headers with which some servers (IIS, Symfony) replace the request path: never forwarded, so that the upstream
    /// serves the path routing matched and its plugins guarded.
    /// </summary>
    private static readonly string[] PathOverrides = ["X-Original-URL", "X-Rewrite-URL"];

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
        var peer = exchange.ClientPeer?.ToString() ?? "";

        var forwardedFor = trusted ? client[ForwardedFor] : default;
        Replace(upstream, ForwardedFor, forwardedFor.Count == 0 ? peer : forwardedFor.ToString() + ", " + peer);
        Replace(upstream, ForwardedProto, Claimed(client, ForwardedProto, trusted) ?? request.Scheme);
        Replace(upstream, ForwardedHost, Claimed(client, ForwardedHost, trusted) ?? HostHeader.NameOf(client.Host.ToString()));
        Replace(upstream, ForwardedPort, Claimed(client, ForwardedPort, trusted) ?? PortText(context.Connection.LocalPort));
        Replace(upstream, ForwardedPath, Claimed(client, ForwardedPath, trusted) ?? exchange.RequestPath);
        RemoveSent(client, upstream, ForwardedPrefix);
        if ((Claimed(client, ForwardedPrefix, trusted) ?? exchange.StrippedPrefix) is { } prefix)
            upstream.TryAddWithoutValidation(ForwardedPrefix, prefix);
        // The client plugins saw: behind trusted proxies, the one X-Forwarded-For names.
        Replace(upstream, RealIp, trusted ? exchange.Plugins?.ClientIp ?? ClientAddress.Resolve(context, exchange.TrustedProxies!) : peer);
        if (!trusted)
        {
            foreach (var name in OtherClaims) RemoveSent(client, upstream, name);
        }
        foreach (var name in PathOverrides) RemoveSent(client, upstream, name);
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

    // The upstream request starts as a copy of the client's headers (after the plugins' edits), so a header the client
    // did not send is not there to remove: looking in the client's headers is cheaper than a removal per request.
    private static void RemoveSent(IHeaderDictionary client, System.Net.Http.Headers.HttpRequestHeaders upstream, string name)
    {
        if (client.ContainsKey(name)) upstream.Remove(name);
    }

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
