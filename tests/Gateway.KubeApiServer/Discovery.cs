using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer;

/// <summary>The discovery documents clients read to map kinds to URLs: /api, /apis, /apis/{group}/{version}.</summary>
static class Discovery
{
    static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Groups(ResourceCatalog catalog) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(catalog.All
            .Where(t => t.Group.Length > 0)
            .GroupBy(t => t.Group)
            .Select(g => (JsonNode)Group(g.Key, g.Select(t => t.Version).Distinct().ToList()))
            .ToArray()),
    };

    public static JsonObject? Group(ResourceCatalog catalog, string group)
    {
        var versions = catalog.All.Where(t => t.Group == group).Select(t => t.Version).Distinct().ToList();
        if (versions.Count == 0)
            return null;
        var document = Group(group, versions);
        document["kind"] = "APIGroup";
        document["apiVersion"] = "v1";
        return document;
    }

    static JsonObject Group(string name, List<string> versions) => new()
    {
        ["name"] = name,
        ["versions"] = new JsonArray(versions.Select(v => (JsonNode)GroupVersion(name, v)).ToArray()),
        ["preferredVersion"] = GroupVersion(name, versions[0]),
    };

    static JsonObject GroupVersion(string group, string version) => new() { ["groupVersion"] = $"{group}/{version}", ["version"] = version };

    public static JsonObject? Resources(ResourceCatalog catalog, string group, string version)
    {
        var types = catalog.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
            return null;
        var resources = new JsonArray();
        foreach (var type in types)
        {
            resources.Add(new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray((type.CreateOnly ? ["create"] : AllVerbs).Select(v => (JsonNode)v).ToArray()),
                ["shortNames"] = new JsonArray(type.ShortNames.Select(n => (JsonNode)n).ToArray()),
            });
            if (type.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Plural + "/status",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }
}
