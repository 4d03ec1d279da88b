using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer;

/// <summary>
/// One authorization check the server made for a client: what RBAC would be asked to allow. The resource
/// names a subresource as "plural/subresource", as RBAC rules do.
/// </summary>
public sealed record ApiAccess(string Verb, string Group, string Resource, string? Namespace);

/// <summary>
/// The checks a real API server makes for a request: the request's own verb on its resource, and, from the
/// OwnerReferencesPermissionEnforcement admission plugin, <c>update</c> on the finalizers of every owner
/// whose deletion the written object newly blocks (an owner reference with blockOwnerDeletion).
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
        return new(verb, target.Type.Group, resource, target.Namespace);
    }

    public static IEnumerable<ApiAccess> OwnerFinalizers(ResourceCatalog catalog, JsonObject? before, JsonObject after)
    {
        var alreadyBlocked = Blocking(before).Select(r => (string?)r["uid"]).ToHashSet();
        foreach (var owner in Blocking(after).Where(r => !alreadyBlocked.Contains((string?)r["uid"])))
        {
            var type = catalog.FindKind((string?)owner["apiVersion"] ?? "", (string?)owner["kind"] ?? "");
            if (type is not null)
                yield return new("update", type.Group, $"{type.Plural}/finalizers", (string?)after["metadata"]?["namespace"]);
        }
    }

    static IEnumerable<JsonObject> Blocking(JsonObject? obj) =>
        obj?["metadata"]?["ownerReferences"] is JsonArray references
            ? references.OfType<JsonObject>().Where(r => r["blockOwnerDeletion"] is JsonValue block && (bool)block)
            : [];
}
