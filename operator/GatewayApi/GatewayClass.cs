using Gateway.Operator.Kubernetes;
using Gateway.Operator.Schema;
using Gateway.Operator.Entities;

namespace Gateway.Operator.GatewayApi;

/// <summary>A class of Gateways, claimed by the controller named in <c>spec.controllerName</c>.</summary>
[KubernetesEntity(Group = GatewayApiBundle.Group, ApiVersion = "v1", Kind = "GatewayClass", PluralName = "gatewayclasses")]
[GenericAdditionalPrinterColumn(".spec.controllerName", "Controller", "string")]
[GenericAdditionalPrinterColumn(".status.conditions[?(@.type==\"Accepted\")].status", "Accepted", "string")]
[GenericAdditionalPrinterColumn(".metadata.creationTimestamp", "Age", "date")]
[StatusSubresource]
public sealed class GatewayClass : IKubernetesObject<V1ObjectMeta>, IStatusObject<GatewayClassStatus>
{
    public string ApiVersion { get; set; } = GatewayApiBundle.Group + "/v1";
    public string Kind { get; set; } = "GatewayClass";
    public V1ObjectMeta Metadata { get; set; } = new();
    public GatewayClassSpec Spec { get; set; } = new();
    public GatewayClassStatus? Status { get; set; }
}

public sealed class GatewayClassSpec
{
    public string ControllerName { get; set; } = "";
    public ParametersReference? ParametersRef { get; set; }
    public string? Description { get; set; }
}

/// <summary>Where a class's (or a Gateway's) implementation-specific parameters are: for us, an ApiGateway.</summary>
public sealed class ParametersReference
{
    public string Group { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Namespace { get; set; }
}

public sealed class GatewayClassStatus
{
    public List<Condition>? Conditions { get; set; }
    public List<SupportedFeature>? SupportedFeatures { get; set; }
}

/// <summary>One feature of the spec the implementation supports (<c>HTTPRouteQueryParamMatching</c>, …).</summary>
public sealed class SupportedFeature
{
    public string Name { get; set; } = "";
}
