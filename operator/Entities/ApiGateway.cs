using Gateway.Operator.Kubernetes;
using Gateway.Operator.Schema;

namespace Gateway.Operator.Entities;

/// <summary>One complete gateway: the operator creates and keeps alive everything it needs.</summary>
[KubernetesEntity(Group = "tollgate.dev", ApiVersion = "v1alpha1", Kind = "ApiGateway", PluralName = "apigateways")]
[KubernetesShortNames("agw")]
[StatusSubresource]
[Description("ApiGateway is a complete Tollgate API gateway: proxies, their database and Redis, services and credentials, kept in the declared state by the operator.")]
[GenericAdditionalPrinterColumn(".status.conditions[?(@.type==\"Ready\")].status", "Ready", "string", Description = "Whether the gateway serves traffic as declared")]
[GenericAdditionalPrinterColumn(".status.conditions[?(@.type==\"Ready\")].message", "Status", "string", Description = "What the gateway is doing or waiting for")]
[GenericAdditionalPrinterColumn(".status.proxies", "Proxies", "string", Description = "Ready proxies / desired proxies")]
[GenericAdditionalPrinterColumn(".status.endpoint", "Endpoint", "string", Description = "Where clients reach the gateway")]
[GenericAdditionalPrinterColumn(".status.conditions[?(@.type==\"ConfigurationSynced\")].reason", "Configuration", "string", Description = "How the configuration declared as Kubernetes objects reached the proxies: Synced, ObjectsFailed or NotApplied")]
[GenericAdditionalPrinterColumn(".metadata.creationTimestamp", "Age", "date")]
public sealed class ApiGateway : IKubernetesObject<V1ObjectMeta>, IStatusObject<ApiGatewayStatus>
{
    public const string Group = "tollgate.dev";

    public string ApiVersion { get; set; } = Group + "/v1alpha1";

    public string Kind { get; set; } = "ApiGateway";

    public V1ObjectMeta Metadata { get; set; } = new();

    [Required]
    [Description("The desired gateway.")]
    public ApiGatewaySpec Spec { get; set; } = new();

    [Description("What the operator observed, in kstatus form (observedGeneration, Ready, Reconciling, Stalled).")]
    public ApiGatewayStatus? Status { get; set; }
}
