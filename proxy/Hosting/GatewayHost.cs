using Gateway.Proxy.Admin;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Health;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Proxying;
using Gateway.Proxy.RateLimits;
using Gateway.Proxy.Settings;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Status;
using Gateway.Proxy.Store;
using Gateway.Proxy.Store.Memory;
using Gateway.Proxy.Store.Postgres;
using Gateway.Proxy.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Proxy.Hosting;

/// <summary>
/// Builds the gateway process: one Kestrel server with up to four listeners (proxy, proxy TLS, admin, status),
/// each dispatched by local port to its own pipeline. The proxy pipeline has no endpoint routing at all.
/// </summary>
public static class GatewayHost
{
    public static WebApplication Build(GatewaySettings settings, ConfigData? initialConfig = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; o.UseUtcTimestamp = true; });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);

        var holder = new SnapshotHolder();
        var defaultCertificate = settings.ProxyTlsListen is null ? null : DefaultCertificate.For(settings);
        var adminCertificate = settings.AdminListen is not null && settings.AdminTlsCert is { } adminCert && settings.AdminTlsKey is { } adminKey
            ? DefaultCertificate.Load(adminCert, adminKey, "GATEWAY_ADMIN_TLS_CERT/GATEWAY_ADMIN_TLS_KEY")
            : null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            HeaderLimits.Apply(kestrel.Limits);
            if (settings.ProxyListen is { } proxy) ListenCleartext(kestrel, proxy);
            foreach (var more in settings.MoreProxyListens) ListenCleartext(kestrel, more);
            if (settings.ProxyTlsListen is { } tls)
            {
                kestrel.Listen(tls.Address, tls.Port, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(https => https.ServerCertificateSelector =
                        (_, name) => holder.Current?.Certificates.Select(name) ?? defaultCertificate);
                });
            }
            if (settings.AdminListen is { } admin)
            {
                kestrel.Listen(admin.Address, admin.Port, listen =>
                {
                    if (adminCertificate is not null) listen.UseHttps(adminCertificate);
                });
            }
            if (settings.StatusListen is { } status) kestrel.Listen(status.Address, status.Port);
        });

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(holder);
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<LastGoodCache>(_ => new LastGoodCache(settings.CacheDir));
        services.AddSingleton(sp => new PluginServices
        {
            TrustedProxies = settings.TrustedProxies,
            BodyBufferSize = settings.PluginBodyBuffer,
            Logging = sp.GetRequiredService<ILoggerFactory>(),
            Shared = sp,
        });
        services.AddRateLimitCounters(settings.Redis);
        services.AddUpstreamHealthChecks();
        services.AddSingleton<SnapshotPublisher>();
        if (settings.Database == DatabaseMode.Postgres)
        {
            services.AddSingleton(_ => Npgsql.NpgsqlDataSource.Create(settings.PgConnection));
            services.AddSingleton<IConfigStore>(sp => new PostgresConfigStore(sp.GetRequiredService<Npgsql.NpgsqlDataSource>()));
            services.AddHostedService<PostgresSnapshotSource>();
        }
        else
        {
            var memory = new MemoryConfigStore(initialConfig ?? ConfigData.Empty);
            services.AddSingleton<IConfigStore>(memory);
            services.AddSingleton(memory);
            services.AddHostedService<MemorySnapshotSource>();
        }
        services.AddGatewayProxy();
        services.AddAdminApi(new AdminApiOptions
        {
            Token = settings.AdminToken,
            GuiOrigins = settings.AdminGuiOrigins,
            BodyLimit = settings.AdminBodyLimit,
            Plugins = PluginCatalog.Bundled.ForAdminApi(),
            Database = settings.Database == DatabaseMode.Postgres ? "postgres" : "off",
            DatabaseReachable = settings.Database == DatabaseMode.Postgres ? PostgresReachability(settings) : null,
        });

        var app = builder.Build();
        // Connect to the rate-limiting Redis now rather than on the first request that needs it.
        app.Services.GetRequiredService<RateLimitCounters>();
        var healthChecks = app.Services.GetRequiredService<ActiveHealthChecks>();
        holder.Swapped += snapshot => healthChecks.Apply(snapshot.Health);
        if (settings.AdminListen is { } adminListen)
            app.MapWhen(c => c.Connection.LocalPort == adminListen.Port, branch => branch.UseAdminApi());
        if (settings.StatusListen is { } statusListen)
            app.MapWhen(c => c.Connection.LocalPort == statusListen.Port, branch => branch.UseStatusEndpoints());
        app.UseResponseMetrics();
        app.UseGatewayProxy();
        return app;
    }

    /// <summary>
    /// A cleartext proxy listener: HTTP/1.x, or with Kong's "http2" flag HTTP/2 by prior knowledge (h2c) only. Kestrel
    /// cannot tell the two apart on one cleartext port (it answers an HTTP/2 preface on an HTTP/1.x port with
    /// HTTP_1_1_REQUIRED), so a port serves one of them, as nginx's cleartext "http2" ports did.
    /// </summary>
    private static void ListenCleartext(KestrelServerOptions kestrel, ListenAddress address) =>
        kestrel.Listen(address.Address, address.Port, listen => listen.Protocols = address.Http2 ? HttpProtocols.Http2 : HttpProtocols.Http1);

    private static Func<CancellationToken, Task<bool>> PostgresReachability(GatewaySettings settings) => async ct =>
    {
        try
        {
            await using var connection = new Npgsql.NpgsqlConnection(settings.PgConnection);
            await connection.OpenAsync(ct);
            return true;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            return false;
        }
    };
}
