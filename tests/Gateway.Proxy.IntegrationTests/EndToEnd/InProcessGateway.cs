using Gateway.Proxy.Hosting;
using Gateway.Proxy.Settings;

namespace Gateway.Proxy.IntegrationTests.EndToEnd;

/// <summary>A whole gateway (proxy, admin and status listeners) in this process, on a Postgres database.</summary>
public sealed class InProcessGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _ownCacheDir;

    private InProcessGateway(WebApplication app, GatewaySettings settings, string? ownCacheDir)
    {
        _app = app;
        _ownCacheDir = ownCacheDir;
        Settings = settings;
        Proxy = Loopback.Client(settings.ProxyListen!);
        Admin = Loopback.Client(settings.AdminListen!);
        Status = Loopback.Client(settings.StatusListen!);
    }

    public GatewaySettings Settings { get; }
    public HttpClient Proxy { get; }
    public HttpClient Admin { get; }
    public HttpClient Status { get; }

    /// <summary>Starts on free loopback ports; without <paramref name="cacheDir"/> a temporary one is used and removed on dispose.</summary>
    public static Task<InProcessGateway> StartAsync(string pgConnection, string? cacheDir = null) =>
        StartAsync(pgConnection, cacheDir, s => s);

    /// <summary>
    /// As above, with settings adjusted by <paramref name="adjust"/> (a TLS listener, say); without a database,
    /// <paramref name="initial"/> is the configuration served at start, as the declarative file gives it.
    /// </summary>
    public static async Task<InProcessGateway> StartAsync(string pgConnection, string? cacheDir,
        Func<GatewaySettings, GatewaySettings> adjust, Gateway.Proxy.Entities.ConfigData? initial = null)
    {
        var ownCacheDir = cacheDir is null ? Directory.CreateTempSubdirectory("tollgate-e2e-cache-").FullName : null;
        var settings = adjust(new GatewaySettings
        {
            Database = DatabaseMode.Postgres,
            PgConnection = pgConnection,
            ProxyListen = Loopback.FreeAddress(),
            AdminListen = Loopback.FreeAddress(),
            StatusListen = Loopback.FreeAddress(),
            CacheDir = cacheDir ?? ownCacheDir!,
        });
        var app = GatewayHost.Build(settings, initial);
        await app.StartAsync();
        return new InProcessGateway(app, settings, ownCacheDir);
    }

    public async ValueTask DisposeAsync()
    {
        Proxy.Dispose();
        Admin.Dispose();
        Status.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownCacheDir is not null) Directory.Delete(_ownCacheDir, recursive: true);
    }
}
