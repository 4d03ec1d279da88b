using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Admin.Config;

/// <summary>Kong's answer to a successful <c>POST /config</c>: every entity loaded, keyed by kind and then by id.</summary>
internal static class LoadedBody
{
    /// <summary>
    /// Written straight from the entities and read back as one document, rather than built node by node: the body
    /// repeats every entity of a document that may hold thousands. Only its top level becomes nodes, when the
    /// caller adds to it.
    /// </summary>
    public static JsonObject For(ConfigData config)
    {
        var text = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(text))
        {
            writer.WriteStartObject();
            foreach (var kind in EntityCatalog.All)
            {
                var entities = config.Of(kind);
                if (entities.Count == 0) continue;
                writer.WriteStartObject(kind.Name);
                foreach (var entity in entities)
                {
                    writer.WritePropertyName(entity.Id.ToString());
                    JsonSerializer.Serialize(writer, entity, kind.ClrType, EntityJson.Options);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return JsonNode.Parse(text.WrittenSpan)!.AsObject();
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
