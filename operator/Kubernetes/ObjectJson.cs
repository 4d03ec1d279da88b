using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Gateway.Operator.Kubernetes;

/// <summary>
/// The official client's JSON conventions (camelCase, absent rather than null, RFC 3339 times, quantities), with the
/// conversions to and from <see cref="JsonNode"/> that comparisons and tests need.
/// </summary>
public static class ObjectJson
{
    /// <summary>The same conventions for <see cref="System.Text.Json"/> calls on our own types (the CRD schema's defaults).</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize<T>(T value) => k8s.KubernetesJson.Serialize(value);

    public static T Deserialize<T>(string json) => k8s.KubernetesJson.Deserialize<T>(json);

    public static JsonObject ToNode<T>(T value) => JsonNode.Parse(Serialize(value))!.AsObject();

    public static T FromNode<T>(JsonNode node) => Deserialize<T>(node.ToJsonString());

    /// <summary>A deep copy through JSON, so cached objects are never shared with callers that mutate.</summary>
    public static T Clone<T>(T value) => Deserialize<T>(Serialize(value));
}
