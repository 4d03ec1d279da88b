using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Gateway.Proxy.Schema;

/// <summary>The one JSON convention of the configuration model: Kong's snake_case names, nulls written out.</summary>
public static class EntityJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    public static readonly JsonSerializerOptions Compact = new(Options) { WriteIndented = false };

    public static JsonNode? ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, Options);

    public static JsonObject ToObject(object entity) =>
        JsonSerializer.SerializeToNode(entity, entity.GetType(), Options)!.AsObject();

    public static T FromNode<T>(JsonNode node) => node.Deserialize<T>(Options)!;

    public static object FromNode(JsonNode node, Type type) => node.Deserialize(type, Options)!;
}
