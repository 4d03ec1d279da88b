using Gateway.Proxy.Entities;
using Gateway.Proxy.Health;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Status;

namespace Gateway.Proxy.Snapshots;

/// <summary>
/// Compiles a loaded configuration and swaps it into service. Compilation happens here, on the loading
/// thread, never on a request; a configuration that fails to compile leaves the previous snapshot in place.
/// </summary>
public sealed class SnapshotPublisher(SnapshotHolder holder, GatewayMetrics metrics, PluginServices plugins,
    TargetHealthRegistry targetHealth, ILogger<SnapshotPublisher> logger)
{
    private readonly Lock _gate = new();

    /// <summary>Publishes unless a snapshot of the same or a newer version is already in service.</summary>
    public bool PublishIfNewer(ConfigData config)
    {
        lock (_gate)
        {
            var current = holder.Current;
            if (current is not null && current.Version >= config.Version) return false;
            return Publish(config);
        }
    }

    /// <summary>Publishes unconditionally (a new declarative file replaces whatever was loaded).</summary>
    public bool Publish(ConfigData config)
    {
        lock (_gate)
        {
            ConfigSnapshot snapshot;
            try
            {
                snapshot = ConfigSnapshot.Compile(config, holder.Current, plugins, targetHealth);
            }
            catch (Exception e)
            {
                metrics.RecordConfigLoadFailed();
                logger.LogError(e, "configuration version {Version} failed to compile; keeping the previous one", config.Version);
                return false;
            }
            holder.Swap(snapshot);
            metrics.RecordConfigLoaded(config.Version);
            logger.LogInformation("configuration version {Version} in service ({Count} entities)", config.Version, config.Count);
            return true;
        }
    }
}
