using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer;

/// <summary>
/// A minimal OpenAPI v3 index: one document per group/version whose PATCH operations declare the
/// fieldValidation parameter. That is what kubectl checks before letting the server validate fields;
/// strategic-merge patches for built-in kinds are then computed from kubectl's own types.
/// </summary>
static class OpenApi
{
    public static JsonObject Root(ResourceCatalog catalog)
    {
        var paths = new JsonObject();
        foreach (var groupVersion in catalog.All.Select(t => (t.Group, t.Version)).Distinct())
        {
            var path = Path(groupVersion.Group, groupVersion.Version);
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={Hash(catalog, groupVersion.Group, groupVersion.Version)}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? GroupVersion(ResourceCatalog catalog, string path)
    {
        var types = catalog.All.Where(t => Path(t.Group, t.Version) == path).ToList();
        if (types.Count == 0)
            return null;
        var paths = new JsonObject();
        foreach (var type in types)
        {
            var prefix = type.Group.Length == 0 ? $"/api/{type.Version}" : $"/apis/{type.Group}/{type.Version}";
            var scope = type.Namespaced ? "/namespaces/{namespace}" : "";
            paths[$"{prefix}{scope}/{type.Plural}/{{name}}"] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
                    ["parameters"] = new JsonArray(new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
                    ["requestBody"] = new JsonObject
                    {
                        ["content"] = new JsonObject { ["application/merge-patch+json"] = new JsonObject(), ["application/json-patch+json"] = new JsonObject() },
                    },
                },
            };
        }
        return new JsonObject { ["openapi"] = "3.0.0", ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" }, ["paths"] = paths };
    }

    static string Path(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    // Changes whenever the set of kinds in the group/version changes, so kubectl's cache refreshes.
    static string Hash(ResourceCatalog catalog, string group, string version) =>
        string.Join(",", catalog.All.Where(t => t.Group == group && t.Version == version).Select(t => t.Plural)).GetHashCode().ToString("X8");
}
