namespace Gateway.Operator.Runtime;

[Flags]
public enum RbacVerb
{
    None = 0,
    Get = 1,
    List = 2,
    Watch = 4,
    Create = 8,
    Update = 16,
    Patch = 32,
    Delete = 64,
    /// <summary>What an informer needs: its first list, then a watch.</summary>
    Informer = List | Watch,
}

/// <summary>
/// Declares, on the class that needs it, which permissions the operator holds on a kind. The manifest
/// generator collects these into the operator's ClusterRole, so the role lists exactly what the code uses
/// (an end-to-end test compares it with the requests the operator makes).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class EntityRbacAttribute(params Type[] entities) : Attribute
{
    public IReadOnlyList<Type> Entities { get; } = entities;
    public RbacVerb Verbs { get; init; }
    /// <summary>A subresource such as "status" or "finalizers"; the rule then names "plural/subresource".</summary>
    public string? Subresource { get; init; }
}
