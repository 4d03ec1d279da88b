using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Gateway.Operator.Kubernetes;

/// <summary>The JSON conventions of the Kubernetes API: camelCase, absent rather than null, enums as strings.</summary>
public static class KubernetesJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(), new TimestampConverter() },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"null {typeof(T).Name}");

    public static JsonObject ToNode<T>(T value) =>
        JsonSerializer.SerializeToNode(value, Options)?.AsObject() ?? throw new JsonException($"null {typeof(T).Name}");

    public static T FromNode<T>(JsonNode node) =>
        node.Deserialize<T>(Options) ?? throw new JsonException($"null {typeof(T).Name}");

    /// <summary>A deep copy through JSON, so cached objects are never shared with callers that mutate.</summary>
    public static T Clone<T>(T value) => Deserialize<T>(Serialize(value));
}
