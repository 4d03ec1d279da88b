using Gateway.Proxy.Settings;

namespace Gateway.Proxy.Tests.Settings;

/// <summary>The Admin API's settings: GUI origins, body limit and TLS files, read strictly from the environment.</summary>
public sealed class AdminSettingsTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();

    public void Dispose() => File.Delete(_file);

    private static GatewaySettings Read(params (string Name, string Value)[] variables)
    {
        var values = variables.ToDictionary(v => v.Name, v => v.Value);
        return GatewaySettings.FromVariables(name => values.GetValueOrDefault(name));
    }

    private static void AssertRefused(string variable, params (string Name, string Value)[] variables)
    {
        var error = Assert.Throws<SettingsException>(() => Read(variables));
        Assert.StartsWith(variable, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void By_default_no_gui_origin_is_listed_bodies_are_limited_to_ten_mebibytes_and_tls_is_off()
    {
        var settings = Read();
        Assert.Empty(settings.AdminGuiOrigins);
        Assert.Equal(10 * 1024 * 1024, settings.AdminBodyLimit);
        Assert.Null(settings.AdminTlsCert);
        Assert.Null(settings.AdminTlsKey);
    }

    [Fact]
    public void Gui_origins_are_kept_as_browsers_write_them()
    {
        var settings = Read(("GATEWAY_ADMIN_GUI_ORIGINS",
            " HTTPS://Admin.Example.com:443, http://localhost:3000,http://[::1]:8002, https://bücher.example, https://admin.example.com"));
        Assert.Equal(["https://admin.example.com", "http://localhost:3000", "http://[::1]:8002", "https://xn--bcher-kva.example"],
            settings.AdminGuiOrigins);
    }

    [Theory]
    [InlineData("admin.example.com")]
    [InlineData("https://admin.example.com/")]
    [InlineData("https://admin.example.com/manager")]
    [InlineData("https://admin.example.com?x=1")]
    [InlineData("https://user@admin.example.com")]
    [InlineData("ftp://admin.example.com")]
    [InlineData("*")]
    [InlineData("https://")]
    [InlineData("https://ok.example, null")]
    public void A_gui_origin_that_is_not_scheme_host_port_is_refused(string value)
    {
        AssertRefused("GATEWAY_ADMIN_GUI_ORIGINS", ("GATEWAY_ADMIN_GUI_ORIGINS", value));
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("1048576", 1048576)]
    [InlineData("512k", 512 * 1024)]
    [InlineData("4m", 4 * 1024 * 1024)]
    [InlineData(" 4M ", 4 * 1024 * 1024)]
    public void The_body_limit_is_bytes_or_a_k_or_m_size(string value, long bytes)
    {
        Assert.Equal(bytes, Read(("GATEWAY_ADMIN_BODY_LIMIT", value)).AdminBodyLimit);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("10mb")]
    [InlineData("1.5m")]
    [InlineData("ten")]
    [InlineData("m")]
    [InlineData("1g")]
    [InlineData("99999999999999999999")]
    [InlineData("9999999999999999m")]
    public void A_body_limit_that_is_not_a_positive_size_is_refused(string value)
    {
        AssertRefused("GATEWAY_ADMIN_BODY_LIMIT", ("GATEWAY_ADMIN_BODY_LIMIT", value));
    }

    [Fact]
    public void Admin_tls_files_come_in_pairs_and_must_exist()
    {
        AssertRefused("GATEWAY_ADMIN_TLS_CERT", ("GATEWAY_ADMIN_TLS_CERT", _file));
        AssertRefused("GATEWAY_ADMIN_TLS_CERT", ("GATEWAY_ADMIN_TLS_KEY", _file));
        AssertRefused("GATEWAY_ADMIN_TLS_KEY", ("GATEWAY_ADMIN_TLS_CERT", _file), ("GATEWAY_ADMIN_TLS_KEY", _file + ".missing"));
        AssertRefused("GATEWAY_ADMIN_TLS_CERT", ("GATEWAY_ADMIN_TLS_CERT", _file + ".missing"), ("GATEWAY_ADMIN_TLS_KEY", _file));
        var settings = Read(("GATEWAY_ADMIN_TLS_CERT", _file), ("GATEWAY_ADMIN_TLS_KEY", _file));
        Assert.Equal((_file, _file), (settings.AdminTlsCert, settings.AdminTlsKey));
    }
}
