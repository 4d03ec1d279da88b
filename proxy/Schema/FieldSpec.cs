using System.Reflection;
using System.Text.Json.Nodes;

namespace Gateway.Proxy.Schema;

public enum FieldKind { String, Integer, Number, Boolean, Uuid, Array, Map, Record, Reference, Object }

/// <summary>One field of a record schema, derived from a property of a configuration type.</summary>
public sealed class FieldSpec
{
    public required string Name { get; init; }
    public required PropertyInfo Property { get; init; }
    public required FieldKind Kind { get; init; }

    /// <summary>For arrays and maps: what each element (map value) is.</summary>
    public FieldKind ElementKind { get; init; }

    /// <summary>For maps whose values are arrays (route headers): what each array element is.</summary>
    public FieldKind? MapValueElementKind { get; init; }

    /// <summary>For records (and arrays of records): their own schema.</summary>
    public RecordSchema? Record { get; init; }

    public bool Required { get; init; }
    public bool Unique { get; init; }
    public bool Auto { get; init; }
    public string? References { get; init; }
    public bool CascadeDelete { get; init; }

    /// <summary>Whether an export nests the entity under the one this reference names (see <see cref="ReferencesAttribute.Nests"/>).</summary>
    public bool Nests { get; init; } = true;

    /// <summary>An array of ids, each naming an entity of <see cref="References"/>.</summary>
    public bool IsReferenceList => Kind == FieldKind.Array && References is not null;

    /// <summary>The ids a reference list of <paramref name="entity"/> holds (none when unset).</summary>
    public Guid[] ListedIds(object entity) => Property.GetValue(entity) as Guid[] ?? [];
    public JsonNode? Default { get; init; }

    /// <summary>How the value is hashed before it is stored; null for ordinary fields.</summary>
    public SecretKind? Secret { get; init; }

    /// <summary>Whether the Admin API generates a random value when a new entity leaves the field out.</summary>
    public bool Generated { get; init; }
    public IReadOnlyList<FieldRuleAttribute> Rules { get; init; } = [];
    public string? Description { get; init; }

    public string TypeName => Kind switch
    {
        FieldKind.String => "string",
        FieldKind.Integer => "integer",
        FieldKind.Number => "number",
        FieldKind.Boolean => "boolean",
        FieldKind.Uuid => "string",
        FieldKind.Array => "array",
        FieldKind.Map => "map",
        FieldKind.Record => "record",
        FieldKind.Reference => "foreign",
        _ => "object",
    };
}
