using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Declarative;

/// <summary>
/// Writes a configuration in Kong's declarative format, nested the way people write it: routes under their
/// service, targets under their upstream, snis under their certificate, and any entity that points at exactly
/// one parent (a plugin scoped to one service, route or consumer) under that parent; the rest at the top level.
/// A reference to something shared (a service's client certificate) is written as an id and never nests.
/// Ids are kept, so reading the output back gives the same configuration.
/// </summary>
public static class DeclarativeExporter
{
    public const string FormatVersion = "3.0";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string ToYaml(ConfigData config) => YamlWriter.Write(ToDocument(config));

    public static string ToJson(ConfigData config) => ToDocument(config).ToJsonString(Indented);

    public static JsonObject ToDocument(ConfigData config)
    {
        var topLevel = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        var written = new Dictionary<(string Kind, Guid Id), JsonObject>();
        foreach (var kind in DeclarativeCollections.ParentsFirst())
        {
            foreach (var entity in config.Of(kind))
            {
                var owner = SingleOwner(kind, entity, written);
                var node = EntityNode(kind, entity, owner?.Field);
                if (owner is { } o) ArrayIn(o.Node, kind.Name).Add(node);
                else
                {
                    if (!topLevel.TryGetValue(kind.Name, out var list)) topLevel[kind.Name] = list = new JsonArray();
                    list.Add(node);
                }
                written.TryAdd((kind.Name, entity.Id), node);
            }
        }

        var root = new JsonObject { ["_format_version"] = FormatVersion };
        foreach (var name in TopLevelOrder())
            if (topLevel.TryGetValue(name, out var list)) root[name] = list;
        return root;
    }

    /// <summary>The order people usually write a file in: what is routed first, certificates last.</summary>
    private static IEnumerable<string> TopLevelOrder()
    {
        string[] usual = ["services", "routes", "upstreams", "targets", "consumers", "plugins", "certificates", "snis", "ca_certificates"];
        foreach (var name in usual) yield return name;
        foreach (var kind in EntityCatalog.All)
            if (Array.IndexOf(usual, kind.Name) < 0) yield return kind.Name;
    }

    /// <summary>The one entity this one references, when it references exactly one and that one is written already.</summary>
    private static (FieldSpec Field, JsonObject Node)? SingleOwner(EntityKind kind, Entity entity, Dictionary<(string, Guid), JsonObject> written)
    {
        (FieldSpec Field, JsonObject Node)? owner = null;
        foreach (var field in kind.References)
        {
            if (field.Property.GetValue(entity) is not EntityRef reference || !field.Nests) continue;
            if (owner is not null) return null;
            var parentKind = EntityCatalog.Find(field.References!);
            if (parentKind is null || DeclarativeCollections.Nested(parentKind, kind.Name) is not { } nesting || nesting.ParentField != field)
                return null;
            if (!written.TryGetValue((parentKind.Name, reference.Id), out var node)) return null;
            owner = (field, node);
        }
        return owner;
    }

    /// <summary>
    /// The entity's fields, id and name first. References become plain ids (or vanish when implied by nesting);
    /// nulls are left out where null is the default anyway.
    /// </summary>
    private static JsonObject EntityNode(EntityKind kind, Entity entity, FieldSpec? impliedField)
    {
        var all = EntityJson.ToObject(entity);
        var node = new JsonObject();
        foreach (var field in OrderedFields(kind))
        {
            if (field == impliedField || !field.Property.CanWrite) continue;
            var value = all[field.Name];
            if (value is null)
            {
                if (field.Default is not null) node[field.Name] = null;
                continue;
            }
            node[field.Name] = field.Kind == FieldKind.Reference && value is JsonObject reference
                ? reference["id"]?.DeepClone()
                : value.DeepClone();
        }
        return node;
    }

    private static IEnumerable<FieldSpec> OrderedFields(EntityKind kind)
    {
        var id = kind.Schema.Field("id");
        var key = kind.EndpointKey is null ? null : kind.Schema.Field(kind.EndpointKey);
        if (id is not null) yield return id;
        if (key is not null) yield return key;
        foreach (var field in kind.Schema.Fields)
            if (field != id && field != key) yield return field;
    }

    private static JsonArray ArrayIn(JsonObject parent, string key)
    {
        if (parent[key] is JsonArray existing) return existing;
        var created = new JsonArray();
        parent[key] = created;
        return created;
    }
}
