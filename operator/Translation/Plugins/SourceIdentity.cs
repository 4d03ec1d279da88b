using System.Text.Json.Nodes;
using Gateway.Operator.Entities;

namespace Gateway.Operator.Translation.Plugins;

/// <summary>The source object a plugin or consumer resource is, and the ids and tags of what it becomes.</summary>
public static class SourceIdentity
{
    public static SourceObject Of(PluginResource plugin) => From(plugin.Kind, plugin.Metadata);

    public static SourceObject Of(TollgateConsumer consumer) => From(consumer.Kind, consumer.Metadata);

    static SourceObject From(string kind, V1ObjectMeta meta) =>
        new(ApiGateway.Group, "v1alpha1", kind, meta.NamespaceProperty ?? "", meta.Name, meta.Uid, meta.Generation);

    /// <summary>The stable id of the <paramref name="collection"/> entity with this key.</summary>
    public static string Id(string collection, string key) => EntityIds.For(collection, key).ToString();

    public static JsonArray Tags(SourceObject source, string ownerTag) => new([.. SourceTags.For(source, ownerTag).Select(t => (JsonNode)t)]);
}
