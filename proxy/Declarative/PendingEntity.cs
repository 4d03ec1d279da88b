using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Declarative;

/// <summary>One entity entry read from the document, before its references are resolved and it is validated.</summary>
internal sealed class PendingEntity(EntityKind kind, Location location, JsonObject body, PendingEntity? parent, FieldSpec? parentField, int index)
{
    public EntityKind Kind { get; } = kind;
    public Location Location { get; } = location;

    /// <summary>The entry's own fields (nested collections and comments removed); rewritten while resolving.</summary>
    public JsonObject Body { get; } = body;

    /// <summary>The entry this one is nested under, and the field of this one that names it.</summary>
    public PendingEntity? Parent { get; } = parent;
    public FieldSpec? ParentField { get; } = parentField;

    /// <summary>Position in its array, used for ids of entries that have no natural key.</summary>
    public int Index { get; } = index;

    public Guid Id { get; set; }

    /// <summary>Set once an error was reported for this entry, so that it is not validated into the result.</summary>
    public bool Failed { get; set; }

    /// <summary>The value of the kind's endpoint key (name, username, target) when it is a string.</summary>
    public string? Key => Kind.EndpointKey is { } keyField && Body[keyField] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>The entry's tags, as far as they are a list of strings.</summary>
    public IReadOnlyList<string>? Tags => Body["tags"] is JsonArray list
        ? list.Select(tag => tag is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToArray()
        : null;

    public EntityInfo Info => new(Kind, Key, Id == Guid.Empty ? null : Id, Tags);
}
