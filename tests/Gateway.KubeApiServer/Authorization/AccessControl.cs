using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer.Authorization;

/// <summary>
/// Authentication and authorization of clients' requests. Every check is recorded (see
/// <see cref="KubeApiServer.Accesses"/>); with <see cref="KubeApiServer.Authorization"/> on, a request without a
/// known token gets 401 and a check RBAC does not allow gets 403, with the API server's Status bodies.
/// </summary>
sealed class AccessControl(KubeApiServer server)
{
    const string RbacGroup = "rbac.authorization.k8s.io";

    public Tokens Tokens { get; } = new();

    Rbac Rbac => new(server.Store, server.Catalog);

    bool Enforcing => server.Authorization;

    /// <summary>The request's user; null when authorization is off (everything is allowed then).</summary>
    public UserInfo? Authenticate(string? authorizationHeader)
    {
        if (!Enforcing)
            return null;
        return Tokens.Authenticate(authorizationHeader) ?? throw new ApiError(401, "Unauthorized", "Unauthorized");
    }

    /// <summary>What RBAC answers for <paramref name="user"/>; everything is allowed when authorization is off.</summary>
    public Decision Decide(UserInfo? user, AccessRequest request) =>
        user is null ? new Decision(true, "") : Rbac.Authorize(user, request);

    /// <summary>A non-resource request (discovery, /version, /openapi).</summary>
    public void CheckPath(UserInfo? user, string path)
    {
        if (Decide(user, AccessRequest.ForPath("get", path)) is { Allowed: false } denied)
            throw ApiError.Forbidden("", "", "", $"User \"{user!.Name}\" cannot get path \"{path}\"", denied.Reason);
    }

    /// <summary>Records a check and, when authorizing, refuses what RBAC does not allow.</summary>
    public void Check(UserInfo? user, ApiAccess access)
    {
        if (Allowed(user, access) is { Allowed: false } denied)
            throw ApiError.Forbidden(access.Group, access.Resource.Split('/')[0], access.Name ?? "", Describe(user!, access), denied.Reason);
    }

    Decision Allowed(UserInfo? user, ApiAccess access)
    {
        server.Record(access);
        return Decide(user, AccessRequest.For(access));
    }

    // "User "u" cannot list resource "deployments" in API group "apps" in the namespace "default"".
    static string Describe(UserInfo user, ApiAccess access) =>
        access.Namespace is { Length: > 0 } ns
            ? $"User \"{user.Name}\" cannot {access.Verb} resource \"{access.Resource}\" in API group \"{access.Group}\" in the namespace \"{ns}\""
            : $"User \"{user.Name}\" cannot {access.Verb} resource \"{access.Resource}\" in API group \"{access.Group}\" at the cluster scope";

    /// <summary>
    /// The checks the server makes on the object a write is about to store: create when an apply creates it,
    /// RBAC's escalation prevention, and the owner-reference permissions. <paramref name="before"/> is null for a create.
    /// </summary>
    public void Admit(UserInfo? user, ResourceRequest target, string method, JsonObject? before, JsonObject after)
    {
        var name = (string?)after["metadata"]?["name"] ?? "";
        if (before is null && method == "PATCH" && Allowed(user, AccessChecks.Creating(target)) is { Allowed: false } denied)
            throw ApiError.Forbidden(target.Type.Group, target.Type.Plural, name, "", denied.Reason);
        if (target.Type.Group == RbacGroup && target.Subresource is null)
            PreventEscalation(user, target, before, after);
        foreach (var access in AccessChecks.OwnerReferencesChanged(target, before, after))
        {
            if (Allowed(user, access) is { Allowed: false } refused)
                throw ApiError.Forbidden(target.Type.Group, target.Type.Plural, name, $"cannot set an ownerRef on a resource you can't delete: {refused.Reason}, <nil>", "");
        }
        foreach (var (access, owner) in AccessChecks.OwnerFinalizers(server.Catalog, before, after))
        {
            if (Allowed(user, access) is { Allowed: false } refused)
                throw ApiError.Forbidden(target.Type.Group, target.Type.Plural, name,
                    $"cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on: {refused.Reason}, {OwnerReference(owner)}", "");
        }
    }

    void PreventEscalation(UserInfo? user, ResourceRequest target, JsonObject? before, JsonObject after)
    {
        var kind = target.Type.Kind;
        var isRole = kind is "Role" or "ClusterRole";
        var isBinding = kind is "RoleBinding" or "ClusterRoleBinding";
        if ((!isRole && !isBinding) || user?.IsMaster == true)
            return;
        // Only what grants rights is checked again on an update (not, say, a change of owner references).
        string[] granting = isRole ? ["rules"] : ["roleRef", "subjects"];
        if (before is not null && granting.All(field => JsonNode.DeepEquals(before[field], after[field])))
            return;

        var name = (string?)after["metadata"]?["name"] ?? "";
        var ns = target.Type.Namespaced ? target.Namespace : null;
        var errors = new List<string>();
        IReadOnlyList<JsonObject> wanted;
        if (isRole)
        {
            if (Allowed(user, new ApiAccess("escalate", RbacGroup, target.Type.Plural, ns) { Name = name }).Allowed)
                return;
            wanted = after["rules"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        }
        else
        {
            var roleKind = (string?)after["roleRef"]?["kind"] ?? "";
            var roleName = (string?)after["roleRef"]?["name"] ?? "";
            var rolePlural = roleKind == "Role" ? "roles" : "clusterroles";
            if (Allowed(user, new ApiAccess("bind", RbacGroup, rolePlural, ns) { Name = roleName }).Allowed)
                return;
            wanted = Rbac.RoleRules(roleKind, roleKind == "Role" ? ns : null, roleName, errors).ToList();
            if (errors.Count > 0)
                throw new ApiError(404, "NotFound", errors[0]);
        }
        var held = Rbac.RulesFor(user!, ns, errors).Select(r => r.Rule).ToList();
        var missing = Escalation.Missing(held, wanted);
        if (missing.Count > 0)
            throw ApiError.Forbidden(RbacGroup, target.Type.Plural, name, Escalation.Message(user!, missing, errors), "");
    }

    // Roughly as Go prints an OwnerReference with %v.
    static string OwnerReference(JsonObject owner) =>
        $"{{{(string?)owner["apiVersion"]} {(string?)owner["kind"]} {(string?)owner["name"]} {(string?)owner["uid"]} {owner["controller"]?.ToJsonString() ?? "<nil>"} {owner["blockOwnerDeletion"]?.ToJsonString() ?? "<nil>"}}}";
}
