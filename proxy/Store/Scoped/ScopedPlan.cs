using Gateway.Proxy.Entities;

namespace Gateway.Proxy.Store.Scoped;

/// <summary>
/// What replacing the entities that carry a document's select tags does to the stored configuration:
/// <see cref="Merged"/> is the configuration afterwards, the lists say what changes. A plan with
/// <see cref="Conflicts"/> is not applied; a plan without changes writes nothing.
/// </summary>
public sealed record ScopedPlan(
    ConfigData Merged,
    IReadOnlyList<Entity> Created,
    IReadOnlyList<Entity> Updated,
    IReadOnlyList<(EntityKind Kind, Guid Id)> Deleted,
    IReadOnlyList<ScopeConflict> Conflicts)
{
    public bool HasChanges => Created.Count + Updated.Count + Deleted.Count > 0;
}

/// <summary>
/// An entity of the document that collides with a stored entity outside the scope (<paramref name="Other"/>) on
/// <paramref name="Field"/> (its id or a unique value), or an entity outside the scope that would be left pointing at
/// one the document removes.
/// </summary>
public sealed record ScopeConflict(EntityKind Kind, Entity Entity, string Field, string Message, EntityKind OtherKind, Entity Other);
