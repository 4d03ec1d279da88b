namespace Gateway.Proxy.Snapshots;

/// <summary>Holds the snapshot in service. Swapping is one reference write; readers never lock.</summary>
public sealed class SnapshotHolder
{
    private volatile ConfigSnapshot? _current;

    /// <summary>The snapshot in service, or null before the first configuration is loaded.</summary>
    public ConfigSnapshot? Current => _current;

    public event Action<ConfigSnapshot>? Swapped;

    public void Swap(ConfigSnapshot snapshot)
    {
        _current = snapshot;
        Swapped?.Invoke(snapshot);
    }
}
