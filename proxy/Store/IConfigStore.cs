using Gateway.Proxy.Entities;
using Gateway.Proxy.Store.Scoped;

namespace Gateway.Proxy.Store;

/// <summary>
/// Where the configuration lives: Postgres, or the declarative file in DB-less mode. The Admin API reads and
/// writes through it; proxies load whole snapshots from it. Writes are validated entities; the store enforces
/// uniqueness and references and raises <see cref="StoreException"/> when they fail.
/// </summary>
public interface IConfigStore
{
    /// <summary>True in DB-less mode: entities can only be replaced all at once.</summary>
    bool IsReadOnly { get; }

    Task<ConfigData> LoadAllAsync(CancellationToken ct);

    Task<long> GetVersionAsync(CancellationToken ct);

    Task<Entity?> GetAsync(EntityKind kind, Guid id, CancellationToken ct);

    /// <summary>Finds the entity whose unique <paramref name="field"/> equals <paramref name="value"/>.</summary>
    Task<Entity?> FindAsync(EntityKind kind, string field, string value, CancellationToken ct);

    Task<EntityPage> ListAsync(EntityKind kind, ListQuery query, CancellationToken ct);

    Task<Entity> InsertAsync(Entity entity, CancellationToken ct);

    /// <summary>Replaces the stored entity with the same id.</summary>
    Task<Entity> UpdateAsync(Entity entity, CancellationToken ct);

    /// <summary>Deletes, cascading to dependants marked cascade; false when it did not exist.</summary>
    Task<bool> DeleteAsync(EntityKind kind, Guid id, CancellationToken ct);

    /// <summary>Atomically replaces the whole configuration.</summary>
    Task ReplaceAllAsync(ConfigData config, CancellationToken ct);

    /// <summary>
    /// Atomically replaces the entities carrying every one of <paramref name="selectTags"/> by those of
    /// <paramref name="document"/>, leaving all others alone (<see cref="ScopedReplace"/>). Nothing is written, and the
    /// version stays, when the plan has conflicts or no changes. The plan is made against the configuration read under
    /// the write lock (its version is <c>Merged.Version</c>); a plan with changes is committed as the next version.
    /// </summary>
    Task<ScopedPlan> ReplaceScopedAsync(IReadOnlyList<string> selectTags, ConfigData document, CancellationToken ct);
}

/// <summary>A page of a listing, in id order. <paramref name="Next"/> is the offset token of the next page.</summary>
public sealed record EntityPage(IReadOnlyList<Entity> Items, string? Next);

/// <summary>
/// A listing: optionally only the children of one parent (<paramref name="ForeignField"/> = its id), only
/// entities carrying tags (all of them, or any when <paramref name="AnyTag"/>), paged by an offset token.
/// </summary>
public sealed record ListQuery(
    int Size = 100,
    string? Offset = null,
    string? ForeignField = null,
    Guid? ForeignId = null,
    IReadOnlyList<string>? Tags = null,
    bool AnyTag = false);

/// <summary>
/// Why a store refused a write. <see cref="ReferencedByOthers"/>: another entity's reference field names the one to
/// delete; <see cref="ListedByOthers"/>: another entity's reference list (a service's ca_certificates) holds it.
/// </summary>
public enum StoreErrorKind { UniqueViolation, ForeignKeyViolation, ReferencedByOthers, ListedByOthers, NotFound, InvalidOffset, ReadOnly, Unavailable }

/// <summary>A write the store refused; <see cref="Fields"/> names the offending fields and values.</summary>
public sealed class StoreException(StoreErrorKind kind, string message, IReadOnlyDictionary<string, string?>? fields = null)
    : Exception(message)
{
    public StoreErrorKind Kind { get; } = kind;
    public IReadOnlyDictionary<string, string?> Fields { get; } = fields ?? new Dictionary<string, string?>();
}
