using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Tests.Declarative;

/// <summary>A configuration as comparable JSON: every kind's entities, ordered by id.</summary>
internal static class ConfigJson
{
    public static JsonObject Of(ConfigData config)
    {
        var result = new JsonObject();
        foreach (var kind in EntityCatalog.All)
        {
            var list = new JsonArray();
            foreach (var entity in config.Of(kind).OrderBy(e => e.Id.ToString()))
                list.Add(EntityJson.ToObject(entity));
            result[kind.Name] = list;
        }
        return result;
    }

    public static void AssertEqual(ConfigData expected, ConfigData actual)
    {
        var e = Of(expected);
        var a = Of(actual);
        Assert.True(JsonNode.DeepEquals(e, a), $"configurations differ:\nexpected {e.ToJsonString()}\nactual   {a.ToJsonString()}");
    }
}
