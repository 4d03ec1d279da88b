using System.Globalization;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Store.ConfigChecks;

namespace Gateway.Proxy.Store.Scoped;

/// <summary>
/// Plans a scoped replace (decK's <c>select_tags</c>): the stored entities carrying every select tag are replaced by
/// the document's, the others are kept as they are. Entities equal to the stored ones (timestamps aside) are left
/// untouched, so posting the same document twice plans no change. Pure: both stores run it under their write lock.
/// </summary>
public static class ScopedReplace
{
    public static ScopedPlan Plan(ConfigData current, IReadOnlyList<string> selectTags, ConfigData document, long now)
    {
        var created = new List<Entity>();
        var updated = new List<Entity>();
        var deleted = new List<(EntityKind, Guid)>();
        var conflicts = new List<ScopeConflict>();
        var kept = new List<Entity>();
        var deletedIds = new HashSet<Guid>();

        foreach (var kind in EntityCatalog.All)
        {
            var inScope = new Dictionary<Guid, Entity>();
            var outside = new List<Entity>();
            foreach (var entity in current.Of(kind))
            {
                if (CarriesAll(entity.Tags, selectTags)) inScope[entity.Id] = entity;
                else outside.Add(entity);
            }
            var wanted = document.Of(kind);
            FindCollisions(kind, wanted, outside, conflicts);

            var documentIds = new HashSet<Guid>();
            foreach (var entity in wanted)
            {
                documentIds.Add(entity.Id);
                if (!inScope.TryGetValue(entity.Id, out var stored))
                {
                    created.Add(entity with { CreatedAt = now, UpdatedAt = now });
                    kept.Add(created[^1]);
                }
                else if (Same(kind, stored, entity))
                {
                    kept.Add(stored);
                }
                else
                {
                    updated.Add(entity with { CreatedAt = stored.CreatedAt, UpdatedAt = now });
                    kept.Add(updated[^1]);
                }
            }
            foreach (var (id, _) in inScope)
            {
                if (documentIds.Contains(id)) continue;
                deleted.Add((kind, id));
                deletedIds.Add(id);
            }
            // Entities outside the scope that reference a removed one go with it when Kong cascades the delete.
            foreach (var entity in outside)
            {
                if (CascadesFrom(kind, entity, deletedIds, current, conflicts))
                {
                    deleted.Add((kind, entity.Id));
                    deletedIds.Add(entity.Id);
                }
                else kept.Add(entity);
            }
        }
        return new ScopedPlan(ConfigData.From(current.Version, kept), created, updated, deleted, conflicts);
    }

    /// <summary>Whether <paramref name="tags"/> hold every one of <paramref name="wanted"/> (decK ANDs select tags).</summary>
    public static bool CarriesAll(IReadOnlyList<string>? tags, IReadOnlyList<string> wanted)
    {
        foreach (var tag in wanted)
            if (tags is null || !tags.Contains(tag)) return false;
        return true;
    }

    /// <summary>A document entity may take neither the id nor a unique value of an entity outside the scope.</summary>
    private static void FindCollisions(EntityKind kind, IReadOnlyList<Entity> wanted, List<Entity> outside, List<ScopeConflict> conflicts)
    {
        if (outside.Count == 0 || wanted.Count == 0) return;
        var byId = new Dictionary<Guid, Entity>();
        var byValue = new Dictionary<(string Field, string Value), Entity>();
        foreach (var entity in outside)
        {
            byId[entity.Id] = entity;
            foreach (var field in kind.UniqueFields)
                if (UniqueValue(field, entity) is { } value) byValue.TryAdd((field.Name, value), entity);
        }
        foreach (var entity in wanted)
        {
            if (byId.TryGetValue(entity.Id, out var other))
            {
                conflicts.Add(Collision(kind, entity, "id", entity.Id.ToString(), other));
                continue;
            }
            foreach (var field in kind.UniqueFields)
            {
                if (UniqueValue(field, entity) is { } value && byValue.TryGetValue((field.Name, value), out other))
                    conflicts.Add(Collision(kind, entity, field.Name, value, other));
            }
        }
    }

    private static ScopeConflict Collision(EntityKind kind, Entity entity, string field, string value, Entity other) =>
        new(kind, entity, field,
            $"uniqueness violation: {field} '{value}' is taken by {kind.Singular} '{Label(kind, other)}', which does not carry the select tags",
            kind, other);

    /// <summary>
    /// True when <paramref name="entity"/> (outside the scope) must be deleted because a reference it holds with
    /// cascade names a deleted entity; a reference without cascade to a deleted entity is a conflict.
    /// </summary>
    private static bool CascadesFrom(EntityKind kind, Entity entity, HashSet<Guid> deletedIds, ConfigData current, List<ScopeConflict> conflicts)
    {
        if (deletedIds.Count == 0) return false;
        foreach (var field in kind.References)
        {
            if ((field.Property.GetValue(entity) as EntityRef)?.Id is not { } target || !deletedIds.Contains(target)) continue;
            if (field.CascadeDelete) return true;
            var targetKind = EntityCatalog.Find(field.References!)!;
            var removed = current.Of(targetKind).First(e => e.Id == target);
            conflicts.Add(new ScopeConflict(targetKind, removed, "id",
                $"cannot be removed: {kind.Singular} '{Label(kind, entity)}', which does not carry the select tags, references it in '{field.Name}'",
                kind, entity));
        }
        return false;
    }

    private static string? UniqueValue(FieldSpec field, Entity entity) =>
        field.Property.GetValue(entity) is { } value ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

    /// <summary>The entity's name (endpoint key) when it has one, else its id.</summary>
    public static string Label(EntityKind kind, Entity entity) => ConfigProblem.EndpointKeyValue(kind, entity) ?? entity.Id.ToString();

    /// <summary>
    /// Equal in everything but the timestamps the store keeps. Compared as JSON values, not text: the order of an
    /// object's keys (a plugin's config) is not the document's once Postgres kept it as jsonb.
    /// </summary>
    private static bool Same(EntityKind kind, Entity stored, Entity wanted) =>
        JsonEquality.Equal(stored with { CreatedAt = 0, UpdatedAt = 0 }, wanted with { CreatedAt = 0, UpdatedAt = 0 }, kind.ClrType);
}
