using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Adversarial.Generation;

/// <summary>
/// Writes JSON objects in which some values are raw text that no JSON library would produce (1e400, NaN, a
/// thousand nested arrays, a raw NUL byte): the value is set to a marker string, and the marker is replaced
/// in the written text.
/// </summary>
public static class RawJson
{
    private const string Marker = "@@harness-raw@@";

    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(JsonNode node) => node.ToJsonString(Options);

    /// <summary><paramref name="body"/> as text, with the value at <paramref name="path"/> written as <paramref name="rawValue"/>.</summary>
    public static string WithRawValue(JsonObject body, IReadOnlyList<string> path, string rawValue)
    {
        var copy = (JsonObject)body.DeepClone();
        SetAt(copy, path, Marker);
        return Write(copy).Replace("\"" + Marker + "\"", rawValue, StringComparison.Ordinal);
    }

    /// <summary>Sets the value at a dotted path, creating objects on the way and replacing non-objects.</summary>
    public static void SetAt(JsonObject root, IReadOnlyList<string> path, JsonNode? value)
    {
        var current = root;
        for (var i = 0; i < path.Count - 1; i++)
        {
            if (current[path[i]] is not JsonObject next)
            {
                next = new JsonObject();
                current[path[i]] = next;
            }
            current = next;
        }
        current[path[^1]] = value;
    }

    /// <summary>A JSON string literal of <paramref name="text"/>, escaped as a JSON library would.</summary>
    public static string Quote(string text) => JsonSerializer.Serialize(text, Options);
}
