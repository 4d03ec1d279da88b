using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Admin.Schemas;

/// <summary>
/// A record schema written as Kong's <c>GET /schemas/{name}</c> does: <c>{"fields": [{"name": {"type": …}}, …]}</c>,
/// each field with its type, default, required/unique/auto flags, reference and rules.
/// </summary>
public static class SchemaDescription
{
    public static JsonObject Describe(RecordSchema schema, RecordSchema? pluginConfig = null) =>
        new() { ["fields"] = Fields(schema, pluginConfig) };

    private static JsonArray Fields(RecordSchema schema, RecordSchema? pluginConfig)
    {
        var fields = new JsonArray();
        foreach (var field in schema.Fields)
        {
            var description = field.Kind == FieldKind.Object && field.Name == "config" && pluginConfig is not null
                ? new JsonObject { ["type"] = "record", ["fields"] = Fields(pluginConfig, null) }
                : Field(field);
            fields.Add(new JsonObject { [field.Name] = description });
        }
        return fields;
    }

    private static JsonObject Field(FieldSpec field)
    {
        var result = new JsonObject();
        switch (field.Kind)
        {
            case FieldKind.Array:
                result["type"] = "array";
                result["elements"] = Element(field.ElementKind, field.Record, field.Rules);
                break;
            case FieldKind.Map:
                result["type"] = "map";
                result["keys"] = new JsonObject { ["type"] = "string" };
                result["values"] = field.MapValueElementKind is { } inner
                    ? new JsonObject { ["type"] = "array", ["elements"] = Element(inner, null, field.Rules) }
                    : Element(field.ElementKind, null, field.Rules);
                break;
            case FieldKind.Record:
                result["type"] = "record";
                result["fields"] = Fields(field.Record!, null);
                break;
            case FieldKind.Reference:
                result["type"] = "foreign";
                result["reference"] = field.References;
                if (field.CascadeDelete) result["on_delete"] = "cascade";
                break;
            case FieldKind.Object:
                // Any object: a plugin's config before the plugin is known.
                result["type"] = "record";
                result["abstract"] = true;
                break;
            default:
                result["type"] = field.TypeName;
                AddRules(result, field.Rules);
                break;
        }
        if (field.Kind == FieldKind.Uuid) result["uuid"] = true;
        if (field.Name is "created_at" or "updated_at") result["timestamp"] = true;
        if (field.Auto) result["auto"] = true;
        if (field.Required) result["required"] = true;
        if (field.Unique) result["unique"] = true;
        if (field.Default is not null) result["default"] = field.Default.DeepClone();
        if (field.Description is not null) result["description"] = field.Description;
        return result;
    }

    private static JsonObject Element(FieldKind kind, RecordSchema? record, IReadOnlyList<FieldRuleAttribute> rules)
    {
        if (kind == FieldKind.Record && record is not null)
            return new JsonObject { ["type"] = "record", ["fields"] = Fields(record, null) };
        var element = new JsonObject { ["type"] = TypeName(kind) };
        if (kind == FieldKind.Uuid) element["uuid"] = true;
        AddRules(element, rules);
        return element;
    }

    private static void AddRules(JsonObject target, IReadOnlyList<FieldRuleAttribute> rules)
    {
        foreach (var rule in rules)
        {
            switch (rule)
            {
                case OneOfAttribute oneOf:
                    target["one_of"] = new JsonArray(oneOf.Values.Select(Value).ToArray());
                    break;
                case BetweenAttribute between:
                    target["between"] = new JsonArray(between.Min, between.Max);
                    break;
                case LengthAttribute length:
                    target["len_min"] = length.Min;
                    target["len_max"] = length.Max;
                    break;
                case MatchesAttribute matches:
                    target["match"] = matches.Pattern;
                    break;
                default:
                    target["custom_validator"] = rule.Describe();
                    break;
            }
        }
    }

    private static JsonNode? Value(object value) => value switch
    {
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        _ => JsonValue.Create(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
    };

    public static string TypeName(FieldKind kind) => kind switch
    {
        FieldKind.Uuid => "string",
        FieldKind.Reference => "foreign",
        FieldKind.Object => "record",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The schema of a plugin entity, with the plugin's own config fields when it has a schema.</summary>
    public static JsonObject DescribePlugin(AdminPlugin plugin) =>
        Describe(EntityCatalog.Plugins.Schema, plugin.Config);
}
