using System.Globalization;
using System.Text.Json.Nodes;

namespace Gateway.Proxy.Transforms;

/// <summary>
/// Kong's transformer operations on the top-level fields of a JSON object body. "replace" changes only fields that
/// exist, "add" only fields that do not, "append" turns a field into an array and adds to it.
/// </summary>
public static class JsonFields
{
    public static void Remove(JsonObject body, string name) => body.Remove(name);

    public static void Rename(JsonObject body, string from, string to)
    {
        if (!body.TryGetPropertyValue(from, out var value)) return;
        body.Remove(from);
        body[to] = value;
    }

    public static void Replace(JsonObject body, string name, JsonNode? value)
    {
        if (body.ContainsKey(name)) body[name] = value;
    }

    public static void Add(JsonObject body, string name, JsonNode? value)
    {
        if (!body.ContainsKey(name)) body[name] = value;
    }

    public static void Append(JsonObject body, string name, JsonNode? value)
    {
        if (!body.TryGetPropertyValue(name, out var existing) || existing is null)
        {
            body[name] = new JsonArray(value);
            return;
        }
        if (existing is JsonArray array)
        {
            array.Add(value);
            return;
        }
        body.Remove(name);
        body[name] = new JsonArray(existing, value);
    }

    /// <summary>A configured value as JSON of the given type ("string", "number", "boolean"); text when it does not parse.</summary>
    public static JsonNode? Typed(string value, string type) => type switch
    {
        "number" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) =>
            Math.Floor(number) == number && Math.Abs(number) < 1e15 ? JsonValue.Create((long)number) : JsonValue.Create(number),
        "boolean" when bool.TryParse(value, out var flag) => JsonValue.Create(flag),
        _ => JsonValue.Create(value),
    };
}
