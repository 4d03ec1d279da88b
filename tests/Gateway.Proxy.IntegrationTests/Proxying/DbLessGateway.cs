using Gateway.Proxy.Entities;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Settings;
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

    /// <summary>
    /// Waits until GET /metrics on the status listener shows every one of <paramref name="lines"/> (such as
    /// <c>tollgate_upgraded_connections 0</c>); metrics are recorded as requests end, a moment after their clients see the end.
    /// </summary>
    public async Task ExpectMetricsAsync(params string[] lines)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://{Settings.StatusListen}") };
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string text;
        do text = await client.GetStringAsync("/metrics");
        while (!lines.All(line => text.Split('\n').Contains(line)) && DateTime.UtcNow < deadline && await Pause());
        foreach (var line in lines) Assert.Contains(line, text.Split('\n'));
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(20);
        return true;
    }

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
            ["GATEWAY_STATUS_LISTEN"] = $"127.0.0.1:{FreePort.Next()}",
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
