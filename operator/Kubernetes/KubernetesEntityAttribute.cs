namespace Gateway.Operator.Kubernetes;

/// <summary>
/// Names the API a C# type is served under. The client builds every URL from it, and the manifest
/// generator every CRD. An empty <see cref="Group"/> is the core ("legacy") group served under /api.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class KubernetesEntityAttribute : Attribute
{
    public string Group { get; init; } = "";
    public string ApiVersion { get; init; } = "v1";
    public string Kind { get; init; } = "";
    public string PluralName { get; init; } = "";
    /// <summary>False for cluster-scoped kinds (Namespace, ClusterRole, CustomResourceDefinition).</summary>
    public bool Namespaced { get; init; } = true;

    /// <summary>"group/version", or just "version" for the core group.</summary>
    public string GroupVersion => Group.Length == 0 ? ApiVersion : $"{Group}/{ApiVersion}";
}
