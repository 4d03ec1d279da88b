using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Admin.Entities;

/// <summary>
/// Where an entity path points, derived from the catalog: <c>/services</c>, <c>/services/{s}</c>,
/// <c>/routes/{r}/service</c> (the entity a reference names), <c>/services/{s}/routes</c> and
/// <c>/services/{s}/routes/{r}</c> (children of a parent, through the child's reference field).
/// </summary>
public abstract record EntityPath
{
    /// <summary><c>/{kind}</c></summary>
    public sealed record Collection(EntityKind Kind) : EntityPath;

    /// <summary><c>/{kind}/{key}</c></summary>
    public sealed record Item(EntityKind Kind, string Key) : EntityPath;

    /// <summary><c>/{kind}/{key}/{field}</c>: the entity referenced by <paramref name="Field"/>.</summary>
    public sealed record Referenced(EntityKind Kind, string Key, FieldSpec Field, EntityKind Target) : EntityPath;

    /// <summary><c>/{parent}/{key}/{child kind}</c>: children whose <paramref name="Field"/> references the parent.</summary>
    public sealed record Children(EntityKind Parent, string ParentKey, EntityKind Kind, FieldSpec Field) : EntityPath;

    /// <summary><c>/{parent}/{key}/{child kind}/{child key}</c></summary>
    public sealed record Child(EntityKind Parent, string ParentKey, EntityKind Kind, FieldSpec Field, string Key) : EntityPath;

    /// <summary>Parses decoded path segments, or returns null when they name no entity path.</summary>
    public static EntityPath? Parse(IReadOnlyList<string> segments)
    {
        if (segments.Count == 0 || EntityCatalog.FindByAdminPath(segments[0]) is not { } kind) return null;
        var scoped = EntityScopes.ScopeField(kind) is not null;
        switch (segments.Count)
        {
            case 1:
                return scoped ? null : new Collection(kind);
            case 2:
                return scoped ? null : new Item(kind, segments[1]);
        }
        if (scoped) return null;
        var key = segments[1];
        var name = segments[2];
        foreach (var field in kind.References)
        {
            if (field.Name == name && segments.Count == 3)
                return new Referenced(kind, key, field, EntityCatalog.Find(field.References!)!);
        }
        foreach (var (child, field) in EntityCatalog.ChildrenOf(kind))
        {
            if (child.NestedAdminPath != name) continue;
            if (segments.Count == 3) return new Children(kind, key, child, field);
            if (segments.Count == 4)
            {
                // Kong lists every target of an upstream under .../targets/all as well.
                if (segments[3] == "all" && EntityScopes.ScopeField(child) is not null) return new Children(kind, key, child, field);
                return new Child(kind, key, child, field, segments[3]);
            }
            return null;
        }
        return null;
    }
}
