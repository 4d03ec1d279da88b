using System.Text.Json.Nodes;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Admin.Entities;

/// <summary>
/// PATCH semantics as in Kong: given fields replace stored ones, except records (and a plugin's
/// <c>config</c>), which merge key by key; arrays and maps are replaced whole and null clears a field.
/// </summary>
public static class EntityMerge
{
    public static JsonObject Merge(RecordSchema schema, JsonObject stored, JsonObject patch)
    {
        var result = (JsonObject)stored.DeepClone();
        foreach (var (key, value) in patch)
        {
            var field = schema.Field(key);
            if (value is JsonObject patchObject && result[key] is JsonObject storedObject)
            {
                if (field?.Kind == FieldKind.Record)
                {
                    result[key] = Merge(field.Record!, storedObject, patchObject);
                    continue;
                }
                if (field?.Kind == FieldKind.Object)
                {
                    result[key] = MergeObjects(storedObject, patchObject);
                    continue;
                }
            }
            result[key] = value?.DeepClone();
        }
        return result;
    }

    // Schemaless objects (a plugin's config): nested objects merge, anything else is replaced.
    private static JsonObject MergeObjects(JsonObject stored, JsonObject patch)
    {
        var result = (JsonObject)stored.DeepClone();
        foreach (var (key, value) in patch)
        {
            result[key] = value is JsonObject patchObject && result[key] is JsonObject storedObject
                ? MergeObjects(storedObject, patchObject)
                : value?.DeepClone();
        }
        return result;
    }
}
