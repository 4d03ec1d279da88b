using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Snapshots;

/// <summary>
/// The last configuration that loaded from the database, kept on local disk so that a proxy which starts
/// while the database is down still serves. Written atomically (temporary file, then rename).
/// </summary>
public sealed class LastGoodCache(string directory)
{
    private const string FileName = "config-cache.json";

    public string FilePath => Path.Combine(directory, FileName);

    public void Save(ConfigData config)
    {
        var entities = new JsonObject();
        foreach (var kind in EntityCatalog.All)
        {
            var list = new JsonArray();
            foreach (var entity in config.Of(kind)) list.Add(EntityJson.ToObject(entity));
            entities[kind.Name] = list;
        }
        var document = new JsonObject { ["version"] = config.Version, ["entities"] = entities };
        Directory.CreateDirectory(directory);
        var temporary = FilePath + "." + Environment.ProcessId + ".tmp";
        File.WriteAllText(temporary, document.ToJsonString(EntityJson.Compact));
        File.Move(temporary, FilePath, overwrite: true);
    }

    /// <summary>The cached configuration, or null when there is none or it cannot be read.</summary>
    public ConfigData? TryLoad(out string? problem)
    {
        problem = null;
        if (!File.Exists(FilePath)) return null;
        try
        {
            var document = JsonNode.Parse(File.ReadAllText(FilePath))!.AsObject();
            var entities = new List<Entity>();
            foreach (var kind in EntityCatalog.All)
            {
                if (document["entities"]?[kind.Name] is not JsonArray list) continue;
                foreach (var item in list) entities.Add((Entity)EntityJson.FromNode(item!, kind.ClrType));
            }
            return ConfigData.From(document["version"]!.GetValue<long>(), entities);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or IOException)
        {
            problem = $"cannot read the configuration cache {FilePath}: {e.Message}";
            return null;
        }
    }
}
