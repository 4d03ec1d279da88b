using Gateway.Operator.Kubernetes;
using Gateway.Operator.Schema;

namespace Gateway.Operator.Entities;

/// <summary>
/// A plugin instance any namespace may attach (Kong Ingress Controller's KongClusterPlugin); with the
/// <c>global: "true"</c> label it applies to every request of the gateways, as a global plugin in Kong. A
/// <c>configFrom</c> Secret must name its namespace.
/// </summary>
[KubernetesEntity(Group = ApiGateway.Group, ApiVersion = "v1alpha1", Kind = "TollgateClusterPlugin", PluralName = "tollgateclusterplugins")]
[ClusterScoped]
[KubernetesShortNames("tgcp")]
[StatusSubresource]
[Description("TollgateClusterPlugin is one configured plugin that every namespace may attach (as Kong's KongClusterPlugin).")]
[GenericAdditionalPrinterColumn(".plugin", "Plugin", "string", Description = "The plugin's name")]
[GenericAdditionalPrinterColumn(".disabled", "Disabled", "boolean", Description = "Whether it is configured but not run")]
[GenericAdditionalPrinterColumn(".status.conditions[?(@.type==\"Programmed\")].status", "Programmed", "string", Description = "Whether the gateways serve it")]
[GenericAdditionalPrinterColumn(".metadata.creationTimestamp", "Age", "date")]
public sealed class TollgateClusterPlugin() : PluginResource("TollgateClusterPlugin");
