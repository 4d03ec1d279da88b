using Gateway.Proxy.Entities;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Settings;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Status;
using Gateway.Proxy.Store.Postgres;

namespace Gateway.Proxy.Cli;

/// <summary>
/// Runs the gateway. With a database, a reachable database whose schema differs from this build's stops
/// the start with one line; an unreachable one does not: the proxy serves its last-known-good cache and
/// keeps trying. DB-less, the declarative file must be valid or nothing starts.
/// </summary>
public static class ServeCommand
{
    private static readonly TimeSpan SchemaCheckTimeout = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(GatewaySettings settings)
    {
        ConfigData? initial = null;
        if (settings.Database == DatabaseMode.Off)
        {
            initial = ConfigData.Empty;
            if (settings.DeclarativeConfig is { } file)
            {
                var result = ConfigCommands.Read(file, out var problem);
                if (result is null) return CommandLine.Fail(problem!);
                initial = result.Config!.WithVersion(1);
            }
        }
        else
        {
            var refusal = await CheckSchemaAsync(settings);
            if (refusal is not null) return CommandLine.Fail(refusal);
        }

        await using var app = GatewayHost.Build(settings, initial);
        if (settings.Database == DatabaseMode.Postgres) ServeCacheIfDatabaseDown(app);
        await app.RunAsync();
        return 0;
    }

    /// <summary>A one-line refusal when the database answers with the wrong schema; null otherwise.</summary>
    private static async Task<string?> CheckSchemaAsync(GatewaySettings settings)
    {
        using var timeout = new CancellationTokenSource(SchemaCheckTimeout);
        try
        {
            var status = await Migrator.CheckAsync(settings.PgConnection, timeout.Token);
            return status.IsCurrent ? null : status.Message;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // Unreachable: not a reason to refuse. The snapshot source keeps trying; the cache covers the gap.
            return null;
        }
    }

    private static void ServeCacheIfDatabaseDown(WebApplication app)
    {
        var cache = app.Services.GetRequiredService<LastGoodCache>();
        var cached = cache.TryLoad(out var problem);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Proxy.Cache");
        if (problem is not null) logger.LogWarning("{Problem}", problem);
        if (cached is null) return;
        // Publish the cache at once; the first database load replaces it as soon as it succeeds.
        app.Services.GetRequiredService<SnapshotPublisher>().PublishIfNewer(cached);
        app.Services.GetRequiredService<GatewayMetrics>().RecordServedFromCache();
        logger.LogInformation("serving cached configuration version {Version} until the database answers", cached.Version);
    }
}
