using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Snapshots;

/// <summary>
/// The last configuration that loaded from the database, kept on local disk so that a proxy which starts
/// while the database is down still serves. It holds keys, secrets and certificate keys, so it is kept
/// only in a private directory (see <see cref="PrivateFiles"/>): written atomically as a 0600 file, and
/// read only when neither the directory nor the file is open to other users.
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
        PrivateFiles.EnsureDirectory(directory);
        PrivateFiles.WriteAtomically(FilePath, System.Text.Encoding.UTF8.GetBytes(document.ToJsonString(EntityJson.Compact)));
    }

    /// <summary>The cached configuration, or null when there is none or it cannot be read.</summary>
    public ConfigData? TryLoad(out string? problem)
    {
        problem = null;
        if (!File.Exists(FilePath)) return null;
        try
        {
            if ((PrivateFiles.DirectoryProblem(directory) ?? PrivateFiles.FileProblem(FilePath)) is { } refusal)
            {
                problem = $"not reading the configuration cache: {refusal}";
                return null;
            }
            var document = JsonNode.Parse(File.ReadAllText(FilePath))!.AsObject();
            var entities = new List<Entity>();
            foreach (var kind in EntityCatalog.All)
            {
                if (document["entities"]?[kind.Name] is not JsonArray list) continue;
                foreach (var item in list) entities.Add((Entity)EntityJson.FromNode(item!, kind.ClrType));
            }
            return ConfigData.From(document["version"]!.GetValue<long>(), entities);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or IOException or UnauthorizedAccessException)
        {
            problem = $"cannot read the configuration cache {FilePath}: {e.Message}";
            return null;
        }
    }
}
