namespace Gateway.Operator.GatewayApi;

/// <summary>
/// Lets objects of other namespaces (<c>from</c>) refer to objects of this one (<c>to</c>): a route in namespace A may
/// send to a Service in B, or a Gateway use a certificate Secret of B, only while B holds a grant saying so.
/// </summary>
[KubernetesEntity(Group = GatewayApiBundle.Group, ApiVersion = "v1beta1", Kind = "ReferenceGrant", PluralName = "referencegrants")]
public sealed class ReferenceGrant : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = GatewayApiBundle.Group + "/v1beta1";
    public string Kind { get; set; } = "ReferenceGrant";
    public V1ObjectMeta Metadata { get; set; } = new();
    public ReferenceGrantSpec Spec { get; set; } = new();
}

public sealed class ReferenceGrantSpec
{
    public List<ReferenceGrantFrom> From { get; set; } = [];
    public List<ReferenceGrantTo> To { get; set; } = [];
}

public sealed class ReferenceGrantFrom
{
    public string Group { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Namespace { get; set; } = "";
}

/// <summary>What may be referred to: every object of a kind, or the one named.</summary>
public sealed class ReferenceGrantTo
{
    public string Group { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Name { get; set; }
}
