using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Gateway.KubeApiServer;

/// <summary>
/// What the API server does to a custom resource against its structural schema on every write:
/// prune unknown fields, apply defaults, then validate (type, enum, pattern, range, required).
/// </summary>
public static class SchemaValidation
{
    /// <summary>
    /// Defaults and prunes <paramref name="obj"/> in place and returns the validation errors; the paths of
    /// pruned (unknown) fields go to <paramref name="unknown"/>, which strict field validation refuses.
    /// </summary>
    public static List<string> Apply(JsonObject schema, JsonObject obj, List<string> unknown)
    {
        var errors = new List<string>();
        foreach (var (name, propertySchema) in Properties(schema))
        {
            if (name is "apiVersion" or "kind" or "metadata")
                continue;
            Walk(propertySchema, obj, name, name, errors, unknown);
        }
        PruneUnknown(schema, obj, ["apiVersion", "kind", "metadata"], "", unknown);
        CheckRequired(schema, obj, "", errors);
        return errors;
    }

    static void Walk(JsonObject schema, JsonObject parent, string key, string path, List<string> errors, List<string> unknown)
    {
        if (parent[key] is null)
        {
            if (schema["default"] is { } defaultValue)
                parent[key] = defaultValue.DeepClone();
            else
                return;
        }
        var value = parent[key]!;
        var type = (string?)schema["type"];
        if (!HasType(value, type))
        {
            errors.Add($"{path}: Invalid value: \"{Kind(value)}\": {path} in body must be of type {type}: \"{Kind(value)}\"");
            return;
        }
        switch (value)
        {
            case JsonObject obj:
                foreach (var (name, propertySchema) in Properties(schema))
                    Walk(propertySchema, obj, name, $"{path}.{name}", errors, unknown);
                if (schema["additionalProperties"] is JsonObject additional)
                {
                    foreach (var name in obj.Select(p => p.Key).ToList())
                        Walk(additional, obj, name, $"{path}.{name}", errors, unknown);
                }
                PruneUnknown(schema, obj, [], path + ".", unknown);
                CheckRequired(schema, obj, path + ".", errors);
                break;
            case JsonArray array when schema["items"] is JsonObject items:
                for (var i = 0; i < array.Count; i++)
                {
                    var holder = new JsonObject { ["item"] = array[i]?.DeepClone() };
                    Walk(items, holder, "item", $"{path}[{i}]", errors, unknown);
                    array[i] = holder["item"]?.DeepClone();
                }
                break;
            case JsonValue scalar:
                CheckScalar(schema, scalar, path, errors);
                break;
        }
    }

    static void CheckScalar(JsonObject schema, JsonValue value, string path, List<string> errors)
    {
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => a?.ToJsonString() == value.ToJsonString()))
        {
            var options = string.Join(", ", allowed.Select(a => a!.ToJsonString()));
            errors.Add($"{path}: Unsupported value: {value.ToJsonString()}: supported values: {options}");
        }
        if (schema["pattern"] is JsonValue pattern && value.GetValueKind() == JsonValueKind.String
            && !Regex.IsMatch(value.GetValue<string>(), (string)pattern!))
            errors.Add($"{path}: Invalid value: {value.ToJsonString()}: {path} in body should match '{(string)pattern!}'");
        if (value.GetValueKind() == JsonValueKind.Number)
        {
            var number = Number(value);
            if (schema["minimum"] is JsonValue min && number < (double)min)
                errors.Add($"{path}: Invalid value: {value.ToJsonString()}: {path} in body should be greater than or equal to {min.ToJsonString()}");
            if (schema["maximum"] is JsonValue max && number > (double)max)
                errors.Add($"{path}: Invalid value: {value.ToJsonString()}: {path} in body should be less than or equal to {max.ToJsonString()}");
        }
        if (schema["maxLength"] is JsonValue maxLength && value.GetValueKind() == JsonValueKind.String
            && value.GetValue<string>().Length > (int)maxLength)
            errors.Add($"{path}: Too long: may not be longer than {maxLength.ToJsonString()}");
    }

    static void CheckRequired(JsonObject schema, JsonObject obj, string prefix, List<string> errors)
    {
        foreach (var name in schema["required"]?.AsArray().Select(n => (string)n!) ?? [])
        {
            if (obj[name] is null)
                errors.Add($"{prefix}{name}: Required value");
        }
    }

    static void PruneUnknown(JsonObject schema, JsonObject obj, IReadOnlyCollection<string> keep, string prefix, List<string> unknown)
    {
        if (schema["additionalProperties"] is not null || (bool?)schema["x-kubernetes-preserve-unknown-fields"] == true)
            return;
        var known = Properties(schema).Select(p => p.Name).ToHashSet();
        foreach (var name in obj.Select(p => p.Key).Where(n => !known.Contains(n) && !keep.Contains(n)).ToList())
        {
            obj.Remove(name);
            unknown.Add(prefix + name);
        }
    }

    static IEnumerable<(string Name, JsonObject Schema)> Properties(JsonObject schema) =>
        schema["properties"] is JsonObject properties
            ? properties.Select(p => (p.Key, p.Value!.AsObject()))
            : [];

    static bool HasType(JsonNode value, string? type) => type switch
    {
        null => true,
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value.GetValueKind() == JsonValueKind.String,
        "boolean" => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "integer" => value.GetValueKind() == JsonValueKind.Number && Number(value) % 1 == 0,
        "number" => value.GetValueKind() == JsonValueKind.Number,
        _ => true,
    };

    // Values built in memory (not parsed) keep their CLR type, so go through the JSON text.
    static double Number(JsonNode value) => double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    static string Kind(JsonNode value) => value.GetValueKind().ToString().ToLowerInvariant();
}
