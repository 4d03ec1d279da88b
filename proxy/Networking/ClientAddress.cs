using System.Net;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Networking;

/// <summary>
/// Who the client is on the network. A proxy in front of the gateway reports the client in X-Forwarded-For, but
/// anybody can send that header: it is believed only when the connection comes from a trusted proxy, and then
/// only up to the first address (from the right) that is not itself trusted. An entry that is not an address
/// stops the walk: nothing to its left can be trusted.
/// </summary>
public static class ClientAddress
{
    public static string Resolve(HttpContext context, IReadOnlyList<IPNetwork> trustedProxies) =>
        ResolveAddress(context, trustedProxies)?.ToString() ?? "";

    /// <summary>The client's address (IPv4-mapped IPv6 addresses as IPv4); null when the connection has no IP peer.</summary>
    public static IPAddress? ResolveAddress(HttpContext context, IReadOnlyList<IPNetwork> trustedProxies)
    {
        var peer = Normalize(context.Connection.RemoteIpAddress);
        if (!IsTrusted(peer, trustedProxies)) return peer;

        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
        var client = peer;
        var end = forwarded.Length;
        while (end > 0)
        {
            var start = forwarded.LastIndexOf(',', end - 1) + 1;
            var entry = forwarded.AsSpan(start, end - start).Trim();
            end = start - 1;
            if (entry.IsEmpty) continue;
            if (!IpNetworks.TryParseAddress(entry, out var address)) break;
            client = Normalize(address)!;
            if (!IpNetworks.AnyContains(trustedProxies, client)) break;
        }
        return client;
    }

    /// <summary>Whether <paramref name="peer"/> (normalised) is one of the trusted proxies.</summary>
    public static bool IsTrusted(IPAddress? peer, IReadOnlyList<IPNetwork> trustedProxies) =>
        peer is not null && trustedProxies.Count > 0 && IpNetworks.AnyContains(trustedProxies, peer);

    public static IPAddress? Normalize(IPAddress? address) =>
        address is not null && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
