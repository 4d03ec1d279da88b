using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Admin.Config;

/// <summary>Kong's answer to a successful <c>POST /config</c>: every entity loaded, keyed by kind and then by id.</summary>
internal static class LoadedBody
{
    public static JsonObject For(ConfigData config)
    {
        var body = new JsonObject();
        foreach (var kind in EntityCatalog.All)
        {
            var entities = config.Of(kind);
            if (entities.Count == 0) continue;
            var byId = new JsonObject();
            foreach (var entity in entities) byId[entity.Id.ToString()] = EntityJson.ToObject(entity);
            body[kind.Name] = byId;
        }
        return body;
    }

    /// <summary>The document's entities as the store now holds them (with the timestamps it kept).</summary>
    public static ConfigData Stored(ConfigData merged, ConfigData document)
    {
        var entities = new List<Entity>();
        foreach (var kind in EntityCatalog.All)
        {
            var ids = document.Of(kind).Select(e => e.Id).ToHashSet();
            entities.AddRange(merged.Of(kind).Where(e => ids.Contains(e.Id)));
        }
        return ConfigData.From(merged.Version, entities);
    }
}
