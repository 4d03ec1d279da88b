using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer.Authorization;

/// <summary>What is asked of RBAC: a verb on a resource (a subresource, a name, a namespace), or on a non-resource path.</summary>
public sealed record AccessRequest(string Verb, string Group, string Resource, string? Subresource, string? Namespace, string? Name, string? Path)
{
    public bool IsResource => Path is null;

    public static AccessRequest For(ApiAccess access)
    {
        var parts = access.Resource.Split('/', 2);
        return new(access.Verb, access.Group, parts[0], parts.Length > 1 ? parts[1] : null, access.Namespace, access.Name, null);
    }

    public static AccessRequest ForPath(string verb, string path) => new(verb, "", "", null, null, null, path);
}

/// <summary>RBAC's answer: allowed or not, and why (the binding that allowed it, or the roles it could not find).</summary>
public sealed record Decision(bool Allowed, string Reason);

/// <summary>
/// RBAC evaluated from the Role, ClusterRole, RoleBinding and ClusterRoleBinding objects the server holds,
/// as the API server's RBAC authorizer does it: rules match by verb, API group, resource ("plural/sub" and
/// "*/sub"), resource name and non-resource URL, with "*" wildcards; a RoleBinding grants its rules (a Role's
/// or a ClusterRole's) in its own namespace only. ClusterRole aggregation is not implemented. The bootstrap
/// roles every cluster has are built in rather than stored: cluster-admin for system:masters, and
/// system:discovery, system:public-info-viewer and system:basic-user for every authenticated user.
/// </summary>
sealed class Rbac(ObjectStore store, ResourceCatalog catalog)
{
    const string Group = "rbac.authorization.k8s.io";

    static readonly (string Binding, string Subject, JsonObject[] Rules)[] Bootstrap =
    [
        ("cluster-admin", UserInfo.Masters, [Rule(["*"], ["*"], ["*"]), NonResourceRule(["*"], ["*"])]),
        ("system:discovery", UserInfo.Authenticated, [NonResourceRule(["get"],
            ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"])]),
        ("system:public-info-viewer", UserInfo.Authenticated, [NonResourceRule(["get"], ["/healthz", "/livez", "/readyz", "/version", "/version/"])]),
        ("system:basic-user", UserInfo.Authenticated,
        [
            Rule(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
            Rule(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"]),
        ]),
    ];

    static JsonObject Rule(string[] verbs, string[] groups, string[] resources) => new()
    {
        ["verbs"] = Strings(verbs), ["apiGroups"] = Strings(groups), ["resources"] = Strings(resources),
    };

    static JsonObject NonResourceRule(string[] verbs, string[] urls) => new() { ["verbs"] = Strings(verbs), ["nonResourceURLs"] = Strings(urls) };

    static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());

    public Decision Authorize(UserInfo user, AccessRequest request)
    {
        var errors = new List<string>();
        foreach (var (source, rule) in RulesFor(user, request.Namespace, errors))
        {
            if (Allows(rule, request))
                return new Decision(true, $"RBAC: allowed by {source}");
        }
        return new Decision(false, errors.Count == 0 ? "" : $"RBAC: {Aggregate(errors)}");
    }

    static string Aggregate(List<string> errors) => errors.Count == 1 ? errors[0] : $"[{string.Join(", ", errors)}]";

    /// <summary>Every rule that applies to <paramref name="user"/> in <paramref name="ns"/> (cluster-wide ones only when it is null), with where it comes from.</summary>
    public IEnumerable<(string Source, JsonObject Rule)> RulesFor(UserInfo user, string? ns, List<string> errors)
    {
        foreach (var (binding, group, rules) in Bootstrap)
        {
            if (user.Groups.Contains(group))
            {
                foreach (var rule in rules)
                    yield return ($"ClusterRoleBinding \"{binding}\" of ClusterRole \"{binding}\" to Group \"{group}\"", rule);
            }
        }
        foreach (var binding in Objects("ClusterRoleBinding", null))
        {
            if (Subject(binding, user, "") is not { } subject)
                continue;
            var roleName = (string?)binding["roleRef"]?["name"] ?? "";
            var source = $"ClusterRoleBinding \"{Name(binding)}\" of ClusterRole \"{roleName}\" to {subject}";
            foreach (var rule in RoleRules("ClusterRole", null, roleName, errors))
                yield return (source, rule);
        }
        if (string.IsNullOrEmpty(ns))
            yield break;
        foreach (var binding in Objects("RoleBinding", ns))
        {
            if (Subject(binding, user, ns) is not { } subject)
                continue;
            var roleKind = (string?)binding["roleRef"]?["kind"] ?? "";
            var roleName = (string?)binding["roleRef"]?["name"] ?? "";
            var source = $"RoleBinding \"{Name(binding)}/{ns}\" of {roleKind} \"{roleName}\" to {subject}";
            foreach (var rule in RoleRules(roleKind, roleKind == "Role" ? ns : null, roleName, errors))
                yield return (source, rule);
        }
    }

    /// <summary>The rules of a Role (in <paramref name="ns"/>) or ClusterRole; missing ones are reported as RBAC reports them.</summary>
    public IEnumerable<JsonObject> RoleRules(string kind, string? ns, string name, List<string> errors)
    {
        var type = catalog.FindKind($"{Group}/v1", kind);
        if (type is null)
            return [];
        try
        {
            return store.Get(type, ns, name)["rules"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        }
        catch (ApiError missing) when (missing.Code == 404)
        {
            errors.Add($"{kind.ToLowerInvariant()}.{Group} \"{name}\" not found");
            return [];
        }
    }

    IEnumerable<JsonObject> Objects(string kind, string? ns) => store.List(catalog.FindKind($"{Group}/v1", kind)!, ns, _ => true).Items;

    static string Name(JsonObject obj) => (string?)obj["metadata"]?["name"] ?? "";

    // The first subject of a binding that is the user, described as RBAC describes it; null when none is.
    static string? Subject(JsonObject binding, UserInfo user, string bindingNamespace)
    {
        foreach (var subject in binding["subjects"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var kind = (string?)subject["kind"];
            var name = (string?)subject["name"] ?? "";
            switch (kind)
            {
                case "User" when name == user.Name:
                case "Group" when user.Groups.Contains(name):
                    return $"{kind} \"{name}\"";
                case "ServiceAccount":
                    var ns = (string?)subject["namespace"] is { Length: > 0 } given ? given : bindingNamespace;
                    if (ns.Length > 0 && user.Name == $"system:serviceaccount:{ns}:{name}")
                        return $"ServiceAccount \"{name}/{ns}\"";
                    break;
            }
        }
        return null;
    }

    static string[] Values(JsonObject rule, string field) => rule[field] is JsonArray values ? values.Select(v => (string?)v ?? "").ToArray() : [];

    /// <summary>Whether one rule allows the request.</summary>
    public static bool Allows(JsonObject rule, AccessRequest request)
    {
        var verbs = Values(rule, "verbs");
        if (!verbs.Contains("*") && !verbs.Contains(request.Verb))
            return false;
        if (!request.IsResource)
            return Values(rule, "nonResourceURLs").Any(url => url == "*" || url == request.Path || (url.EndsWith('*') && request.Path!.StartsWith(url.TrimEnd('*'), StringComparison.Ordinal)));
        var groups = Values(rule, "apiGroups");
        if (!groups.Contains("*") && !groups.Contains(request.Group))
            return false;
        var combined = request.Subresource is null ? request.Resource : $"{request.Resource}/{request.Subresource}";
        if (!Values(rule, "resources").Any(r => r == "*" || r == combined || (request.Subresource is not null && r == $"*/{request.Subresource}")))
            return false;
        var names = Values(rule, "resourceNames");
        return names.Length == 0 || names.Contains(request.Name);
    }
}
