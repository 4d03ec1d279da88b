using System.Net;
using Gateway.Proxy.Networking;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Tests.Networking;

public sealed class ClientAddressTests
{
    private static readonly IReadOnlyList<IPNetwork> Trusted = [Network("10.0.0.0/8"), Network("192.168.1.1"), Network("fd00::/8")];

    private static IPNetwork Network(string text) => IpNetworks.TryParse(text, out var network) ? network : throw new ArgumentException(text);

    private static string Resolve(string peer, string? forwardedFor, IReadOnlyList<IPNetwork>? trusted = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        if (forwardedFor is not null) context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        return ClientAddress.Resolve(context, trusted ?? Trusted);
    }

    [Fact]
    public void X_forwarded_for_from_an_untrusted_peer_is_ignored() =>
        Assert.Equal("203.0.113.9", Resolve("203.0.113.9", "198.51.100.1"));

    [Fact]
    public void Without_trusted_proxies_nobody_is_believed() =>
        Assert.Equal("10.0.0.5", Resolve("10.0.0.5", "198.51.100.1", trusted: []));

    [Fact]
    public void A_trusted_peer_reports_the_client() =>
        Assert.Equal("198.51.100.1", Resolve("10.0.0.5", "198.51.100.1"));

    [Fact]
    public void A_trusted_peer_without_the_header_is_the_client() =>
        Assert.Equal("10.0.0.5", Resolve("10.0.0.5", null));

    [Fact]
    public void A_chain_of_trusted_proxies_is_walked_from_the_right() =>
        Assert.Equal("198.51.100.1", Resolve("10.0.0.5", "203.0.113.66, 198.51.100.1, 192.168.1.1, 10.9.9.9"));

    [Fact]
    public void Addresses_left_of_the_first_untrusted_one_are_not_believed() =>
        Assert.Equal("198.51.100.1", Resolve("10.0.0.5", "10.0.0.7, 198.51.100.1"));

    [Fact]
    public void Several_header_lines_are_read_as_one_list()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.5");
        context.Request.Headers.Append("X-Forwarded-For", "198.51.100.1");
        context.Request.Headers.Append("X-Forwarded-For", "10.0.0.6");
        Assert.Equal("198.51.100.1", ClientAddress.Resolve(context, Trusted));
    }

    [Theory]
    [InlineData("198.51.100.1, garbage, 10.0.0.7", "10.0.0.7")]
    [InlineData("198.51.100.1, 1.2.3.4:5678", "10.0.0.5")]
    [InlineData("198.51.100.1, 0x7f.1", "10.0.0.5")]
    [InlineData("198.51.100.1, 010.0.0.1", "10.0.0.5")]
    [InlineData("198.51.100.1, fe80::1%eth0", "10.0.0.5")]
    public void A_garbage_entry_stops_the_walk_at_the_last_address_learnt(string forwardedFor, string client) =>
        Assert.Equal(client, Resolve("10.0.0.5", forwardedFor));

    [Fact]
    public void Empty_entries_are_skipped() =>
        Assert.Equal("198.51.100.1", Resolve("10.0.0.5", "198.51.100.1, , 10.0.0.7,"));

    [Fact]
    public void An_ipv4_mapped_ipv6_peer_is_treated_as_ipv4_for_trust_and_reported_as_ipv4()
    {
        Assert.Equal("198.51.100.1", Resolve("::ffff:10.0.0.5", "198.51.100.1"));
        Assert.Equal("203.0.113.9", Resolve("::ffff:203.0.113.9", "198.51.100.1"));
    }

    [Fact]
    public void Ipv6_proxies_and_clients_work() =>
        Assert.Equal("2001:db8::7", Resolve("fd00::1", "2001:db8::7, fd12::3"));

    [Fact]
    public void A_connection_without_an_ip_peer_has_no_client_address()
    {
        var context = new DefaultHttpContext();
        Assert.Null(ClientAddress.ResolveAddress(context, Trusted));
        Assert.Equal("", ClientAddress.Resolve(context, Trusted));
    }
}
