using System.Text.Json.Serialization;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Schema;

namespace Gateway.Operator.Entities;

/// <summary>
/// A consumer of the gateway's APIs, shaped like Kong Ingress Controller's KongConsumer: its credentials are Secrets
/// labelled <c>tollgate.dev/credential</c> (key-auth, basic-auth, jwt, acl), named in <see cref="Credentials"/>.
/// </summary>
[KubernetesEntity(Group = ApiGateway.Group, ApiVersion = "v1alpha1", Kind = "TollgateConsumer", PluralName = "tollgateconsumers")]
[KubernetesShortNames("tgc")]
[StatusSubresource]
[Description("TollgateConsumer is one consumer with its credentials (as Kong's KongConsumer).")]
[GenericAdditionalPrinterColumn(".username", "Username", "string", Description = "The consumer's username")]
[GenericAdditionalPrinterColumn(".status.conditions[?(@.type==\"Programmed\")].status", "Programmed", "string", Description = "Whether the gateways serve it")]
[GenericAdditionalPrinterColumn(".metadata.creationTimestamp", "Age", "date")]
public sealed class TollgateConsumer : IKubernetesObject<V1ObjectMeta>, IStatusObject<ProgrammedStatus>
{
    public string ApiVersion { get; set; } = ApiGateway.Group + "/v1alpha1";

    public string Kind { get; set; } = "TollgateConsumer";

    public V1ObjectMeta Metadata { get; set; } = new();

    [Description("The consumer's username, unique in the gateway; username or custom_id is required.")]
    public string? Username { get; set; }

    [Description("An id of the consumer in another system; username or custom_id is required.")]
    [JsonPropertyName("custom_id")]
    public string? CustomId { get; set; }

    [Description("Names of Secrets in the consumer's namespace, each one credential labelled tollgate.dev/credential.")]
    public List<string>? Credentials { get; set; }

    public ProgrammedStatus? Status { get; set; }
}
