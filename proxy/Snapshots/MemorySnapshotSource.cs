using Gateway.Proxy.Store.Memory;

namespace Gateway.Proxy.Snapshots;

/// <summary>DB-less mode: serves the declarative configuration and whatever POST /config replaces it with.</summary>
public sealed class MemorySnapshotSource(MemoryConfigStore store, SnapshotPublisher publisher) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        store.Replaced += OnReplaced;
        publisher.Publish(await store.LoadAllAsync(cancellationToken));
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        store.Replaced -= OnReplaced;
        return Task.CompletedTask;
    }

    private void OnReplaced(Entities.ConfigData config) => publisher.Publish(config);
}
