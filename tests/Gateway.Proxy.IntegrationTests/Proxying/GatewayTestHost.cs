using System.Net;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Health;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Proxying;
using Gateway.Proxy.RateLimits;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>
/// A real gateway on a loopback port: Kestrel, the snapshot holder and the proxy middleware, nothing else.
/// Tests give it configurations with <see cref="Apply"/> and talk to it with <see cref="Client"/>.
/// </summary>
public sealed class GatewayTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayTestHost(WebApplication app, int port)
    {
        _app = app;
        Port = port;
        Snapshots = app.Services.GetRequiredService<SnapshotHolder>();
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri(Url),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public SnapshotHolder Snapshots { get; }

    /// <summary>A client for the gateway (no redirects followed, no cookies kept).</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public GatewayMetrics Metrics => _app.Services.GetRequiredService<GatewayMetrics>();

    /// <summary>
    /// Starts on a free loopback port. <paramref name="redis"/> is the node's GATEWAY_REDIS (rate-limit counters
    /// shared with other hosts); <paramref name="trustedProxies"/> its GATEWAY_TRUSTED_IPS; <paramref name="log"/> receives its log.
    /// </summary>
    public static async Task<GatewayTestHost> StartAsync(ConfigData? config = null, string? redis = null,
        IReadOnlyList<IPNetwork>? trustedProxies = null, ILoggerProvider? log = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (log is not null) builder.Logging.AddProvider(log);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddRateLimitCounters(redis);
        builder.Services.AddSingleton(sp => new PluginServices { TrustedProxies = trustedProxies ?? [], Shared = sp });
        builder.Services.AddGatewayProxy();
        builder.Services.AddUpstreamHealthChecks();
        var app = builder.Build();
        app.UseResponseMetrics();
        var healthChecks = app.Services.GetRequiredService<ActiveHealthChecks>();
        app.Services.GetRequiredService<SnapshotHolder>().Swapped += snapshot => healthChecks.Apply(snapshot.Health);
        app.UseGatewayProxy();
        await app.StartAsync();
        var counters = app.Services.GetRequiredService<RateLimitCounters>();
        if (counters.Gateway is { } shared) await shared.Ready;

        var address = app.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        var host = new GatewayTestHost(app, new Uri(address).Port);
        if (config is not null) host.Apply(config);
        return host;
    }

    /// <summary>The node's target health, kept across configurations.</summary>
    public TargetHealthRegistry TargetHealth => _app.Services.GetRequiredService<TargetHealthRegistry>();

    /// <summary>Compiles and swaps in a configuration, as the config loader does.</summary>
    public ConfigSnapshot Apply(ConfigData config)
    {
        var snapshot = ConfigSnapshot.Compile(config, Snapshots.Current, Services.GetRequiredService<PluginServices>(), TargetHealth);
        Snapshots.Swap(snapshot);
        return snapshot;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
