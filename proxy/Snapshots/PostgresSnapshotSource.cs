using System.Threading.Channels;
using Gateway.Proxy.Status;
using Gateway.Proxy.Store;
using Gateway.Proxy.Store.Postgres;

namespace Gateway.Proxy.Snapshots;

/// <summary>
/// Keeps the snapshot in service equal to the database. The change listener signals on every committed
/// write and after every reconnect; signals are coalesced so that a burst of writes costs one reload.
/// A slow periodic check backs the listener up. Every snapshot loaded is also written to the local cache.
/// </summary>
public sealed class PostgresSnapshotSource(
    IConfigStore store,
    SnapshotPublisher publisher,
    SnapshotHolder holder,
    LastGoodCache cache,
    GatewayMetrics metrics,
    Settings.GatewaySettings settings,
    ILogger<PostgresSnapshotSource> logger) : BackgroundService
{
    private static readonly TimeSpan SafetyCheckInterval = TimeSpan.FromSeconds(10);

    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = new PostgresChangeListener(settings.PgConnection, (_, _) =>
        {
            _signals.Writer.TryWrite(true);
            return Task.CompletedTask;
        }, logger);
        var listening = listener.RunAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(SafetyCheckInterval);
                try
                {
                    await _signals.Reader.ReadAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // Periodic check: also retries the first load while the database is down.
                }
                await ReloadAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await listening;
    }

    private async Task ReloadAsync(CancellationToken ct)
    {
        try
        {
            var config = await store.LoadAllAsync(ct);
            metrics.SetDatabaseReachable(true);
            if (holder.Current is { } current && current.Version == config.Version) return;
            if (publisher.PublishIfNewer(config)) SaveToCache(config);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            metrics.SetDatabaseReachable(false);
            metrics.RecordConfigLoadFailed();
            logger.LogWarning("cannot load the configuration from the database ({Error}); still serving version {Version}",
                e.Message, holder.Current?.Version.ToString() ?? "none");
        }
    }

    private void SaveToCache(Entities.ConfigData config)
    {
        try
        {
            cache.Save(config);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("cannot write the configuration cache {Path}: {Error}", cache.FilePath, e.Message);
        }
    }
}
