using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer.Authorization;

/// <summary>
/// The checks a real API server makes for a request: the request's own verb on its resource; create when an
/// apply creates the object; and, from the OwnerReferencesPermissionEnforcement admission plugin, delete on
/// an object whose owner references an update changes, and update on the finalizers of every owner whose
/// deletion the written object newly blocks (an owner reference with blockOwnerDeletion).
/// </summary>
static class AccessChecks
{
    public static ApiAccess Of(string method, ResourceRequest target, bool watch)
    {
        var verb = method switch
        {
            "GET" when target.Name is not null => "get",
            "GET" => watch ? "watch" : "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" when target.Name is not null => "delete",
            "DELETE" => "deletecollection",
            _ => method.ToLowerInvariant(),
        };
        var resource = target.Subresource is null ? target.Type.Plural : $"{target.Type.Plural}/{target.Subresource}";
        return new(verb, target.Type.Group, resource, target.Namespace) { Name = target.Name };
    }

    /// <summary>An apply that finds no object creates it, which needs create as well as patch.</summary>
    public static ApiAccess Creating(ResourceRequest target) =>
        new("create", target.Type.Group, target.Type.Plural, target.Namespace) { Name = target.Name };

    /// <summary>Changing an object's owner references (not at creation) needs delete on it.</summary>
    public static IEnumerable<ApiAccess> OwnerReferencesChanged(ResourceRequest target, JsonObject? before, JsonObject after)
    {
        if (before is not null && !JsonNode.DeepEquals(before["metadata"]?["ownerReferences"], after["metadata"]?["ownerReferences"]))
            yield return new("delete", target.Type.Group, target.Type.Plural, target.Namespace) { Name = (string?)after["metadata"]?["name"] };
    }

    public static IEnumerable<(ApiAccess Access, JsonObject Owner)> OwnerFinalizers(ResourceCatalog catalog, JsonObject? before, JsonObject after)
    {
        var alreadyBlocked = Blocking(before).Select(r => (string?)r["uid"]).ToHashSet();
        foreach (var owner in Blocking(after).Where(r => !alreadyBlocked.Contains((string?)r["uid"])))
        {
            var type = catalog.FindKind((string?)owner["apiVersion"] ?? "", (string?)owner["kind"] ?? "");
            if (type is not null)
                yield return (new("update", type.Group, $"{type.Plural}/finalizers", (string?)after["metadata"]?["namespace"]) { Name = (string?)owner["name"] }, owner);
        }
    }

    static IEnumerable<JsonObject> Blocking(JsonObject? obj) =>
        obj?["metadata"]?["ownerReferences"] is JsonArray references
            ? references.OfType<JsonObject>().Where(r => r["blockOwnerDeletion"] is JsonValue block && (bool)block)
            : [];
}
