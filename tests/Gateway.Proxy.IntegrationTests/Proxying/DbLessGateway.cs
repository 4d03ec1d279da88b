using Gateway.Proxy.Entities;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Settings;
using Gateway.Proxy.Status;
using Gateway.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>
/// The whole gateway as <c>serve</c> builds it from its GATEWAY_* variables, DB-less with a fixed configuration, on free
/// loopback ports: for tests of what the listeners themselves do (cleartext HTTP/2, the TLS listener).
/// </summary>
public sealed class DbLessGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DbLessGateway(WebApplication app, GatewaySettings settings)
    {
        _app = app;
        Settings = settings;
    }

    public GatewaySettings Settings { get; }

    /// <summary>"http://127.0.0.1:PORT" of the first proxy listener (HTTP/1.x).</summary>
    public string ProxyUrl => $"http://{Settings.ProxyListen}";

    /// <summary>"http://127.0.0.1:PORT" of the cleartext HTTP/2 proxy listener, when there is one.</summary>
    public string H2cUrl => $"http://{Settings.MoreProxyListens.Single(l => l.Http2)}";

    /// <summary>"https://127.0.0.1:PORT" of the TLS proxy listener, when there is one.</summary>
    public string TlsUrl => $"https://{Settings.ProxyTlsListen}";

    public GatewayMetrics Metrics => _app.Services.GetRequiredService<GatewayMetrics>();

    /// <summary>
    /// Serves <paramref name="config"/>. With <paramref name="h2c"/>, GATEWAY_PROXY_LISTEN is Kong's
    /// "127.0.0.1:A, 127.0.0.1:B http2"; with <paramref name="tls"/>, the TLS listener is open too (generated certificate).
    /// </summary>
    public static async Task<DbLessGateway> StartAsync(ConfigData config, bool h2c = false, bool tls = false)
    {
        var proxyListen = $"127.0.0.1:{FreePort.Next()}";
        if (h2c) proxyListen += $", 127.0.0.1:{FreePort.Next()} http2";
        var variables = new Dictionary<string, string?>
        {
            ["GATEWAY_DATABASE"] = "off",
            ["GATEWAY_PROXY_LISTEN"] = proxyListen,
            ["GATEWAY_PROXY_TLS_LISTEN"] = tls ? $"127.0.0.1:{FreePort.Next()}" : null,
            ["GATEWAY_ADMIN_LISTEN"] = "off",
            ["GATEWAY_STATUS_LISTEN"] = "off",
        };
        var settings = GatewaySettings.FromVariables(name => variables.GetValueOrDefault(name));
        var app = GatewayHost.Build(settings, config);
        await app.StartAsync();
        return new DbLessGateway(app, settings);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
