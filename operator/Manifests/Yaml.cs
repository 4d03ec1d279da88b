using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace Gateway.Operator.Manifests;

/// <summary>Writes Kubernetes objects as YAML documents, keeping their JSON field order.</summary>
public static class Yaml
{
    static readonly ISerializer Serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .WithIndentedSequences()
        .Build();

    /// <summary>One or more objects as a multi-document YAML stream.</summary>
    public static string Documents(IEnumerable<JsonNode> objects) =>
        string.Join("---\n", objects.Select(node => Serializer.Serialize(ToPlain(node))));

    // YamlDotNet serializes dictionaries, lists and scalars; JSON numbers stay numbers, strings stay strings.
    static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(pair => pair.Key, pair => ToPlain(pair.Value)),
        JsonArray array => array.Select(ToPlain).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => value.TryGetValue<long>(out var whole) ? whole : value.GetValue<double>(),
            _ => null,
        },
        _ => throw new InvalidOperationException("unexpected JSON node"),
    };
}
