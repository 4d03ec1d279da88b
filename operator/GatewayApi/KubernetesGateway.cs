using Gateway.Operator.Kubernetes;
using Gateway.Operator.Schema;
using Gateway.Operator.Entities;

namespace Gateway.Operator.GatewayApi;

/// <summary>
/// The Gateway API's Gateway: listeners (port, protocol, hostname, TLS) that routes attach to. Named apart from the
/// project's own namespaces, where <c>Gateway</c> already means the product.
/// </summary>
[KubernetesEntity(Group = GatewayApiBundle.Group, ApiVersion = "v1", Kind = "Gateway", PluralName = "gateways")]
[StatusSubresource]
// The upstream CRD's printer columns, so that kubectl shows a Gateway here as it does on a cluster with the bundle.
[GenericAdditionalPrinterColumn(".spec.gatewayClassName", "Class", "string")]
[GenericAdditionalPrinterColumn(".status.addresses[*].value", "Address", "string")]
[GenericAdditionalPrinterColumn(".status.conditions[?(@.type==\"Programmed\")].status", "Programmed", "string")]
[GenericAdditionalPrinterColumn(".metadata.creationTimestamp", "Age", "date")]
public sealed class KubernetesGateway : IKubernetesObject<V1ObjectMeta>, IStatusObject<GatewayStatus>
{
    public string ApiVersion { get; set; } = GatewayApiBundle.Group + "/v1";
    public string Kind { get; set; } = "Gateway";
    public V1ObjectMeta Metadata { get; set; } = new();
    public GatewaySpec Spec { get; set; } = new();
    public GatewayStatus? Status { get; set; }
}

public sealed class GatewaySpec
{
    public string GatewayClassName { get; set; } = "";
    public List<Listener> Listeners { get; set; } = [];
    public List<GatewayAddress>? Addresses { get; set; }
    public GatewayInfrastructure? Infrastructure { get; set; }
}

public sealed class Listener
{
    public string Name { get; set; } = "";
    public string? Hostname { get; set; }
    public int Port { get; set; }
    /// <summary>HTTP, HTTPS, TLS, TCP or UDP (the operator serves HTTP and HTTPS).</summary>
    public string Protocol { get; set; } = "";
    public ListenerTls? Tls { get; set; }
    public AllowedRoutes? AllowedRoutes { get; set; }
}

public sealed class ListenerTls
{
    /// <summary>Terminate (the default) or Passthrough.</summary>
    public string? Mode { get; set; }
    public List<SecretObjectReference>? CertificateRefs { get; set; }
    public Dictionary<string, string>? Options { get; set; }
}

/// <summary>Which routes may attach to a listener: from which namespaces (Same by default) and of which kinds.</summary>
public sealed class AllowedRoutes
{
    public RouteNamespaces? Namespaces { get; set; }
    public List<RouteGroupKind>? Kinds { get; set; }
}

public sealed class RouteNamespaces
{
    /// <summary>Same (the default), All or Selector.</summary>
    public string? From { get; set; }
    public LabelSelector? Selector { get; set; }
}

/// <summary>An address asked for (in the spec) or served (in the status): IPAddress, Hostname or NamedAddress.</summary>
public sealed class GatewayAddress
{
    public string? Type { get; set; }
    public string Value { get; set; } = "";
}

public sealed class GatewayInfrastructure
{
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
    public LocalParametersReference? ParametersRef { get; set; }
}

public sealed class LocalParametersReference
{
    public string Group { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
}

public sealed class GatewayStatus
{
    public List<GatewayAddress>? Addresses { get; set; }
    public List<Condition>? Conditions { get; set; }
    public List<ListenerStatus>? Listeners { get; set; }
}

public sealed class ListenerStatus
{
    public string Name { get; set; } = "";
    public List<RouteGroupKind> SupportedKinds { get; set; } = [];
    public int AttachedRoutes { get; set; }
    public List<Condition> Conditions { get; set; } = [];
}
