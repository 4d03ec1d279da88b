using System.Net;
using Gateway.Proxy.Settings;

namespace Gateway.Proxy.Tests.Settings;

public sealed class ProxyListenSettingTests
{
    private static GatewaySettings With(string name, string? value) =>
        GatewaySettings.FromVariables(variable => variable == name ? value : null);

    [Fact]
    public void One_address_is_one_http1_listener()
    {
        var settings = With("GATEWAY_PROXY_LISTEN", "127.0.0.1:8000");

        Assert.Equal(new ListenAddress(IPAddress.Loopback, 8000), settings.ProxyListen);
        Assert.False(settings.ProxyListen!.Http2);
        Assert.Empty(settings.MoreProxyListens);
    }

    [Fact]
    public void Several_addresses_are_listed_with_commas_and_the_http2_flag_marks_cleartext_http2_ones()
    {
        var settings = With("GATEWAY_PROXY_LISTEN", "0.0.0.0:8000, 0.0.0.0:9080 http2 ,[::1]:9081 HTTP2");

        Assert.Equal(new ListenAddress(IPAddress.Any, 8000), settings.ProxyListen);
        Assert.Equal(
            [new ListenAddress(IPAddress.Any, 9080) { Http2 = true }, new ListenAddress(IPAddress.IPv6Loopback, 9081) { Http2 = true }],
            settings.MoreProxyListens);
        Assert.Equal("0.0.0.0:9080", settings.MoreProxyListens[0].ToString());
    }

    [Fact]
    public void Off_means_no_proxy_listener()
    {
        var settings = With("GATEWAY_PROXY_LISTEN", "off");

        Assert.Null(settings.ProxyListen);
        Assert.Empty(settings.MoreProxyListens);
    }

    [Theory]
    [InlineData("127.0.0.1:8000 ssl", "accepts only the flag 'http2'")]
    [InlineData("127.0.0.1:8000 http2 reuseport", "accepts only the flag 'http2'")]
    [InlineData("127.0.0.1:8000,", "must be host:port")]
    [InlineData("127.0.0.1:8000, 127.0.0.1:8000 http2", "different ports")]
    public void A_bad_proxy_listen_stops_the_start_with_one_line_naming_the_variable(string value, string reason)
    {
        var error = Assert.Throws<SettingsException>(() => With("GATEWAY_PROXY_LISTEN", value));

        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        if (reason != "different ports") Assert.StartsWith("GATEWAY_PROXY_LISTEN", error.Message);
    }

    [Theory]
    [InlineData("GATEWAY_ADMIN_LISTEN")]
    [InlineData("GATEWAY_STATUS_LISTEN")]
    [InlineData("GATEWAY_PROXY_TLS_LISTEN")]
    public void Other_listeners_take_no_flags(string variable)
    {
        var error = Assert.Throws<SettingsException>(() => With(variable, "127.0.0.1:9999 http2"));

        Assert.StartsWith(variable + " must be host:port, without flags", error.Message);
    }
}
