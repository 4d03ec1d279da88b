namespace Gateway.KubeApiServer;

/// <summary>
/// One authorization check the server made for a client: what RBAC would be asked to allow. The resource
/// names a subresource as "plural/subresource", as RBAC rules do.
/// </summary>
public sealed record ApiAccess(string Verb, string Group, string Resource, string? Namespace)
{
    /// <summary>The object's name, when the request names one (RBAC's resourceNames match it).</summary>
    public string? Name { get; init; }
}
