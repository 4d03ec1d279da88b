using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Store.ConfigChecks;
using Gateway.Proxy.Store.Scoped;

namespace Gateway.Proxy.Store.Memory;

/// <summary>
/// The store of DB-less mode: one configuration in memory, read by the Admin API and replaced only as a whole
/// (the declarative file at start, POST /config later). Entity writes are refused the way Kong refuses them.
/// Readers see either the old or the new configuration, never a mix: each replacement swaps one reference.
/// </summary>
public sealed class MemoryConfigStore : IConfigStore
{
    private readonly object _replaceLock = new();
    private volatile State _state;

    public MemoryConfigStore(ConfigData? initial = null)
    {
        var config = initial ?? ConfigData.Empty;
        ThrowOnProblems(config);
        _state = new State(config);
    }

    /// <summary>Raised after each replacement with the new configuration, so the proxy can recompile its snapshot.</summary>
    public event Action<ConfigData>? Replaced;

    public bool IsReadOnly => true;

    public Task<ConfigData> LoadAllAsync(CancellationToken ct) => Task.FromResult(_state.Config);

    public Task<long> GetVersionAsync(CancellationToken ct) => Task.FromResult(_state.Config.Version);

    public Task<Entity?> GetAsync(EntityKind kind, Guid id, CancellationToken ct) =>
        Task.FromResult(_state.ById(kind).GetValueOrDefault(id));

    public Task<Entity?> FindAsync(EntityKind kind, string field, string value, CancellationToken ct)
    {
        var spec = kind.Schema.Field(field) ?? throw new ArgumentException($"'{kind.Name}' has no field '{field}'", nameof(field));
        foreach (var entity in _state.Sorted(kind))
        {
            if (spec.Property.GetValue(entity) is { } current && string.Equals(Convert.ToString(current, System.Globalization.CultureInfo.InvariantCulture), value, StringComparison.Ordinal))
                return Task.FromResult<Entity?>(entity);
        }
        return Task.FromResult<Entity?>(null);
    }

    public Task<EntityPage> ListAsync(EntityKind kind, ListQuery query, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Size, 1);
        var after = query.Offset is null ? (Guid?)null : OffsetToken.Decode(query.Offset);
        var foreign = ForeignField(kind, query);
        var items = new List<Entity>();
        var more = false;
        foreach (var entity in _state.Sorted(kind))
        {
            if (after is { } last && IdOrder.Compare(entity.Id, last) <= 0) continue;
            if (foreign is not null && (foreign.Property.GetValue(entity) as EntityRef)?.Id != query.ForeignId) continue;
            if (!HasTags(entity, query.Tags, query.AnyTag)) continue;
            if (items.Count == query.Size)
            {
                more = true;
                break;
            }
            items.Add(entity);
        }
        var next = more ? OffsetToken.Encode(items[^1].Id) : null;
        return Task.FromResult(new EntityPage(items, next));
    }

    public Task<Entity> InsertAsync(Entity entity, CancellationToken ct) =>
        Task.FromException<Entity>(Unsupported("create", EntityCatalog.Of(entity.GetType())));

    public Task<Entity> UpdateAsync(Entity entity, CancellationToken ct) =>
        Task.FromException<Entity>(Unsupported("update", EntityCatalog.Of(entity.GetType())));

    public Task<bool> DeleteAsync(EntityKind kind, Guid id, CancellationToken ct) =>
        Task.FromException<bool>(Unsupported("delete", kind));

    /// <summary>Checks <paramref name="config"/> across entities, then swaps it in with the next version.</summary>
    public Task ReplaceAllAsync(ConfigData config, CancellationToken ct)
    {
        ThrowOnProblems(config);
        ConfigData replaced;
        lock (_replaceLock)
        {
            replaced = config.WithVersion(_state.Config.Version + 1);
            _state = new State(replaced);
        }
        Replaced?.Invoke(replaced);
        return Task.CompletedTask;
    }

    /// <summary>Plans against the current configuration and, when there is a change, swaps in the merged one.</summary>
    public Task<ScopedPlan> ReplaceScopedAsync(IReadOnlyList<string> selectTags, ConfigData document, CancellationToken ct)
    {
        ScopedPlan plan;
        ConfigData replaced;
        lock (_replaceLock)
        {
            plan = ScopedReplace.Plan(_state.Config, selectTags, document, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            if (plan.Conflicts.Count > 0 || !plan.HasChanges) return Task.FromResult(plan);
            ThrowOnProblems(plan.Merged);
            replaced = plan.Merged.WithVersion(_state.Config.Version + 1);
            _state = new State(replaced);
        }
        Replaced?.Invoke(replaced);
        return Task.FromResult(plan);
    }

    private static void ThrowOnProblems(ConfigData config)
    {
        var problems = ConfigChecker.Check(config);
        if (problems.Count == 0) return;
        var kind = problems[0].Problem == ConfigProblemKind.Duplicate ? StoreErrorKind.UniqueViolation : StoreErrorKind.ForeignKeyViolation;
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var problem in problems)
            fields.TryAdd($"{problem.Kind.Name}['{problem.EntityLabel}'].{problem.Field}", problem.Message);
        throw new StoreException(kind, "invalid configuration: " + string.Join("; ", problems), fields);
    }

    /// <summary>Kong's answer to entity writes without a database (HTTP 405, "operation unsupported").</summary>
    private static StoreException Unsupported(string operation, EntityKind kind) =>
        new(StoreErrorKind.ReadOnly, $"cannot {operation} '{kind.Name}' entities when not using a database");

    private static FieldSpec? ForeignField(EntityKind kind, ListQuery query)
    {
        if (query.ForeignField is null) return null;
        var field = kind.Schema.Field(query.ForeignField);
        if (field is null || field.Kind != FieldKind.Reference)
            throw new ArgumentException($"'{query.ForeignField}' is not a reference field of '{kind.Name}'", nameof(query));
        return field;
    }

    private static bool HasTags(Entity entity, IReadOnlyList<string>? wanted, bool any)
    {
        if (wanted is null || wanted.Count == 0) return true;
        var tags = entity.Tags ?? [];
        foreach (var tag in wanted)
        {
            var has = Array.IndexOf(tags, tag) >= 0;
            if (any && has) return true;
            if (!any && !has) return false;
        }
        return !any;
    }

    /// <summary>One configuration with its lookups, built once per replacement.</summary>
    private sealed class State
    {
        private readonly Dictionary<EntityKind, Entity[]> _sorted = new();
        private readonly Dictionary<EntityKind, Dictionary<Guid, Entity>> _byId = new();

        public State(ConfigData config)
        {
            Config = config;
            foreach (var kind in EntityCatalog.All)
            {
                var sorted = config.Of(kind).ToArray();
                Array.Sort(sorted, (a, b) => IdOrder.Compare(a.Id, b.Id));
                _sorted[kind] = sorted;
                var byId = new Dictionary<Guid, Entity>();
                foreach (var entity in sorted) byId.TryAdd(entity.Id, entity);
                _byId[kind] = byId;
            }
        }

        public ConfigData Config { get; }

        public IReadOnlyList<Entity> Sorted(EntityKind kind) => _sorted.GetValueOrDefault(kind) ?? [];

        public IReadOnlyDictionary<Guid, Entity> ById(EntityKind kind) =>
            _byId.GetValueOrDefault(kind) ?? new Dictionary<Guid, Entity>();
    }
}
