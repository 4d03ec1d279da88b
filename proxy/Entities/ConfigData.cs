namespace Gateway.Proxy.Entities;

/// <summary>
/// One complete, immutable configuration: every entity of every kind, plus the version it was read at.
/// Stores produce it, the declarative format reads and writes it, the compiler turns it into a routing table.
/// </summary>
public sealed class ConfigData
{
    public static readonly ConfigData Empty = new(0, new Dictionary<EntityKind, IReadOnlyList<Entity>>());

    private readonly IReadOnlyDictionary<EntityKind, IReadOnlyList<Entity>> _byKind;

    public ConfigData(long version, IReadOnlyDictionary<EntityKind, IReadOnlyList<Entity>> byKind)
    {
        Version = version;
        _byKind = byKind;
    }

    /// <summary>Increases with every change to the stored configuration (0 for a file).</summary>
    public long Version { get; }

    public IReadOnlyList<Entity> Of(EntityKind kind) => _byKind.GetValueOrDefault(kind) ?? [];

    public IEnumerable<T> All<T>() where T : Entity => Of(EntityCatalog.Of(typeof(T))).Cast<T>();

    public IReadOnlyList<Service> Services => [.. All<Service>()];
    public IReadOnlyList<Route> Routes => [.. All<Route>()];
    public IReadOnlyList<Upstream> Upstreams => [.. All<Upstream>()];
    public IReadOnlyList<Target> Targets => [.. All<Target>()];
    public IReadOnlyList<Consumer> Consumers => [.. All<Consumer>()];
    public IReadOnlyList<Plugin> Plugins => [.. All<Plugin>()];
    public IReadOnlyList<Certificate> Certificates => [.. All<Certificate>()];
    public IReadOnlyList<Sni> Snis => [.. All<Sni>()];

    public int Count => _byKind.Values.Sum(list => list.Count);

    public ConfigData WithVersion(long version) => new(version, _byKind);

    public static ConfigData From(long version, IEnumerable<Entity> entities)
    {
        var byKind = entities.GroupBy(e => EntityCatalog.Of(e.GetType()))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Entity>)g.ToList());
        return new ConfigData(version, byKind);
    }
}
