using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Settings;

namespace Gateway.Proxy.Tests.Settings;

public sealed class PluginBodyBufferSettingTests
{
    private static GatewaySettings With(string? value) =>
        GatewaySettings.FromVariables(name => name == "GATEWAY_PLUGIN_BODY_BUFFER" ? value : null);

    [Theory]
    [InlineData(null, PluginServices.DefaultBodyBufferSize)]
    [InlineData("", PluginServices.DefaultBodyBufferSize)]
    [InlineData("4096", 4096)]
    [InlineData("512k", 512 * 1024)]
    [InlineData("8K", 8 * 1024)]
    [InlineData("2m", 2 * 1024 * 1024)]
    [InlineData("1024m", 1024 * 1024 * 1024)]
    public void Sizes_are_read_as_nginx_writes_them(string? value, int bytes) => Assert.Equal(bytes, With(value).PluginBodyBuffer);

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1025m")]
    [InlineData("1g")]
    [InlineData("1.5m")]
    [InlineData("m")]
    [InlineData("lots")]
    [InlineData("99999999999999999999")]
    public void A_bad_size_stops_the_start_with_one_line_naming_the_variable(string value)
    {
        var error = Assert.Throws<SettingsException>(() => With(value));

        Assert.StartsWith("GATEWAY_PLUGIN_BODY_BUFFER", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
