using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Declarative;

/// <summary>
/// Which arrays a declarative document may hold. Every kind in <see cref="EntityCatalog"/> is a top-level
/// array named like its Admin API path, and — as in Kong — a kind can be nested under any kind it references
/// (routes under services, plugins under services, routes and consumers, targets under upstreams, snis under
/// certificates). A new entity kind therefore becomes available, top-level and nested under its parents, by
/// being added to the catalog.
/// </summary>
public static class DeclarativeCollections
{
    /// <summary>Kinds whose nested entries may be written as a bare string standing for one field.</summary>
    private static readonly Dictionary<string, string> StringShorthands = new(StringComparer.Ordinal)
    {
        ["snis"] = "name", // certificates: [{cert: ..., snis: [example.com]}]
    };

    /// <summary>Top-level keys Kong accepts and ignores (or that only matter to other parts).</summary>
    public static readonly IReadOnlySet<string> MetaKeys =
        new HashSet<string>(StringComparer.Ordinal) { "_format_version", "_transform", "_comment", "_workspace", "_ignore", "_info" };

    /// <summary>Keys any entity entry may carry for people, not for the gateway.</summary>
    public static readonly IReadOnlySet<string> EntityMetaKeys =
        new HashSet<string>(StringComparer.Ordinal) { "_comment", "_ignore" };

    public static readonly IReadOnlyList<string> FormatVersions = ["1.1", "2.1", "3.0"];

    public static EntityKind? TopLevel(string key) => EntityCatalog.Find(key);

    /// <summary>The kind nested under <paramref name="parent"/> as <paramref name="key"/>, with its field naming the parent.</summary>
    public static (EntityKind Child, FieldSpec ParentField)? Nested(EntityKind parent, string key)
    {
        if (parent.Schema.Field(key) is not null) return null;
        var child = EntityCatalog.Find(key);
        if (child is null) return null;
        foreach (var field in child.References)
            if (field.References == parent.Name) return (child, field);
        return null;
    }

    /// <summary>The field a bare string stands for in a nested <paramref name="kind"/> entry, if it has one.</summary>
    public static string? StringShorthand(EntityKind kind) => StringShorthands.GetValueOrDefault(kind.Name);

    /// <summary>All kinds, each after every kind it references, so parents get their ids before children.</summary>
    public static IReadOnlyList<EntityKind> ParentsFirst()
    {
        var ordered = new List<EntityKind>();
        var remaining = new List<EntityKind>(EntityCatalog.All);
        while (remaining.Count > 0)
        {
            var progressed = false;
            for (var i = 0; i < remaining.Count; i++)
            {
                var kind = remaining[i];
                if (!kind.References.Concat(kind.ReferenceLists)
                        .All(f => f.References == kind.Name || ordered.Any(k => k.Name == f.References) || EntityCatalog.Find(f.References!) is null))
                    continue;
                ordered.Add(kind);
                remaining.RemoveAt(i--);
                progressed = true;
            }
            if (!progressed)
            {
                // A reference cycle: keep catalog order for what is left.
                ordered.AddRange(remaining);
                break;
            }
        }
        return ordered;
    }
}
