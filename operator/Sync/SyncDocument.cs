using System.Text.Json.Nodes;
using Gateway.Operator.Translation;
using Gateway.Operator.Translation.Plugins;

namespace Gateway.Operator.Sync;

/// <summary>
/// The one document a gateway's proxies receive from its operator: the translated Ingresses and Services with the
/// plugins, consumers and credentials of the plugin resources, scoped by the owner tag (decK's
/// <c>_info.select_tags</c>) so that the proxy replaces exactly what this operator wrote and nothing made by hand.
/// </summary>
public static class SyncDocument
{
    public static JsonObject Build(GatewayConfiguration configuration, PluginTranslation plugins)
    {
        var document = configuration.ToDeclarative();
        // A route or service whose plugins cannot be built is not served without them; a service's routes go with it.
        var withheld = new HashSet<string>(plugins.WithheldTargets, StringComparer.Ordinal);
        Remove(document, "services", body => withheld.Contains(Id(body)));
        Remove(document, "routes", body => withheld.Contains(Id(body)) || withheld.Contains(Id(body?["service"])));
        foreach (var collection in plugins.Entities.GroupBy(e => e.Collection).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var entries = document[collection.Key] as JsonArray ?? [];
            foreach (var entity in collection)
                entries.Add(entity.Body.DeepClone());
            document[collection.Key] = entries;
        }
        document["_info"] = new JsonObject { ["select_tags"] = new JsonArray(configuration.OwnerTag) };
        return document;
    }

    static string Id(JsonNode? body) => (string?)body?["id"] ?? "";

    static void Remove(JsonObject document, string collection, Func<JsonNode?, bool> withheld)
    {
        if (document[collection] is not JsonArray entries)
            return;
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            if (withheld(entries[i]))
                entries.RemoveAt(i);
        }
    }
}
