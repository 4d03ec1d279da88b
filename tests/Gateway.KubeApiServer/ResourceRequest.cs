namespace Gateway.KubeApiServer;

/// <summary>A request path taken apart: /api/v1/namespaces/ns/secrets/name/status and friends.</summary>
public sealed record ResourceRequest(ResourceType Type, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>Null when the path is not a resource path (or names a kind this server does not serve).</summary>
    public static ResourceRequest? Parse(ResourceCatalog catalog, string[] segments)
    {
        string group, version;
        string[] rest;
        if (segments is ["api", var coreVersion, .. var coreRest])
            (group, version, rest) = ("", coreVersion, coreRest);
        else if (segments is ["apis", var g, var v, .. var groupRest])
            (group, version, rest) = (g, v, groupRest);
        else
            return null;

        string? ns = null;
        if (rest is ["namespaces", var namespaceName, var plural, ..] && catalog.Find(group, version, plural) is { Namespaced: true })
        {
            ns = namespaceName;
            rest = rest[2..];
        }
        if (rest.Length is 0 or > 3)
            return null;
        var type = catalog.Find(group, version, rest[0]);
        if (type is null)
            return null;
        return new ResourceRequest(type, ns, rest.Length > 1 ? rest[1] : null, rest.Length > 2 ? rest[2] : null);
    }
}
