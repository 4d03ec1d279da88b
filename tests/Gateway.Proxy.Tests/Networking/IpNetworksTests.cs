using System.Net;
using Gateway.Proxy.Networking;

namespace Gateway.Proxy.Tests.Networking;

public sealed class IpNetworksTests
{
    [Theory]
    [InlineData("10.0.0.7", "10.0.0.7/32")]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("10.1.2.3/8", "10.0.0.0/8")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("2001:db8::/32", "2001:db8::/32")]
    [InlineData("2001:db8::1", "2001:db8::1/128")]
    [InlineData("2001:db8:ffff::1/33", "2001:db8:8000::/33")]
    [InlineData("::ffff:10.0.0.0/104", "10.0.0.0/8")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1/32")]
    public void Addresses_and_blocks_are_read_in_the_usual_notations(string text, string expected)
    {
        Assert.True(IpNetworks.TryParse(text, out var network));
        Assert.Equal(expected, network.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("10.1")]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.256")]
    [InlineData("010.0.0.1")]
    [InlineData("0x0a.0.0.1")]
    [InlineData("10.0.0.1/33")]
    [InlineData("10.0.0.1/")]
    [InlineData("10.0.0.1/-1")]
    [InlineData("10.0.0.1/8/8")]
    [InlineData("2001:db8::/129")]
    [InlineData("fe80::1%eth0")]
    [InlineData("example.com")]
    [InlineData(" 10.0.0.1")]
    public void Anything_else_is_refused(string text) => Assert.False(IpNetworks.TryParse(text, out _));

    [Fact]
    public void Any_contains_checks_every_network()
    {
        IPNetwork[] networks = [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("2001:db8::/32")];

        Assert.True(IpNetworks.AnyContains(networks, IPAddress.Parse("10.200.0.1")));
        Assert.True(IpNetworks.AnyContains(networks, IPAddress.Parse("2001:db8::9")));
        Assert.False(IpNetworks.AnyContains(networks, IPAddress.Parse("11.0.0.1")));
        Assert.False(IpNetworks.AnyContains([], IPAddress.Parse("10.0.0.1")));
    }
}
