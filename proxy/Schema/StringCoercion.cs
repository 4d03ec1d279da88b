using System.Globalization;
using System.Text.Json.Nodes;

namespace Gateway.Proxy.Schema;

/// <summary>
/// Form-encoded and query-string input arrives as text. This turns text into the JSON types the schema
/// expects ("4" becomes 4 for an integer field, a lone value becomes a one-element array) and leaves
/// anything it cannot convert untouched, so that validation reports it against the right field.
/// </summary>
public static class StringCoercion
{
    public static JsonObject Coerce(RecordSchema schema, JsonObject input)
    {
        var result = new JsonObject();
        foreach (var (key, value) in input)
        {
            var field = schema.Field(key);
            result[key] = field is null ? value?.DeepClone() : CoerceField(field, value);
        }
        return result;
    }

    private static JsonNode? CoerceField(FieldSpec field, JsonNode? value)
    {
        if (value is null) return null;
        switch (field.Kind)
        {
            case FieldKind.Array:
                var items = value is JsonArray array ? array : new JsonArray(value.DeepClone());
                if (value is JsonValue v && v.TryGetValue<string>(out var s) && s.Length == 0) return new JsonArray();
                var converted = new JsonArray();
                foreach (var item in items)
                {
                    converted.Add(field.ElementKind == FieldKind.Record && item is JsonObject o
                        ? Coerce(field.Record!, o)
                        : CoerceScalar(field.ElementKind, item));
                }
                return converted;
            case FieldKind.Map when field.MapValueElementKind is not null && value is JsonObject map:
                var result = new JsonObject();
                foreach (var (key, item) in map)
                {
                    result[key] = item is JsonArray list ? list.DeepClone() : item is null ? null : new JsonArray(item.DeepClone());
                }
                return result;
            case FieldKind.Record when value is JsonObject record:
                return Coerce(field.Record!, record);
            default:
                return CoerceScalar(field.Kind, value);
        }
    }

    private static JsonNode? CoerceScalar(FieldKind kind, JsonNode? value)
    {
        if (value is not JsonValue v || !v.TryGetValue<string>(out var text)) return value?.DeepClone();
        switch (kind)
        {
            case FieldKind.Integer when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l):
                return l;
            case FieldKind.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d):
                return d;
            case FieldKind.Boolean when bool.TryParse(text, out var b):
                return b;
            case FieldKind.Integer or FieldKind.Number or FieldKind.Boolean or FieldKind.Uuid when text.Length == 0:
                return null;
            default:
                return text;
        }
    }
}
