using Gateway.Proxy.Admin.Browsers;

namespace Gateway.Proxy.Tests.Admin;

public class LoopbackHostTests
{
    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST:8001", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.255.0.7:80", true)]
    [InlineData("[::1]", true)]
    [InlineData("[::1]:8001", true)]
    [InlineData("[::ffff:127.0.0.1]:8001", true)]
    [InlineData("", false)]
    [InlineData("evil.example", false)]
    [InlineData("localhost.evil.example", false)]
    [InlineData("app.localhost", false)]
    [InlineData("127.0.0.1.nip.io", false)]
    [InlineData("128.0.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("[::2]", false)]
    [InlineData("[::ffff:10.0.0.1]", false)]
    [InlineData("[]", false)]
    public void Only_localhost_127_0_0_0_slash_8_and_ipv6_loopback_are_loopback(string host, bool loopback)
    {
        Assert.Equal(loopback, LoopbackHost.Names(host));
    }
}
