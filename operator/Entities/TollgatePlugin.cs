using Gateway.Operator.Schema;

namespace Gateway.Operator.Entities;

/// <summary>
/// A plugin instance, shaped like Kong Ingress Controller's KongPlugin, attached by name with the
/// <c>tollgate.dev/plugins</c> annotation to Ingresses, Services and consumers of its namespace.
/// </summary>
[KubernetesEntity(Group = ApiGateway.Group, ApiVersion = "v1alpha1", Kind = "TollgatePlugin", PluralName = "tollgateplugins")]
[KubernetesShortNames("tgp")]
[StatusSubresource]
[Description("TollgatePlugin is one configured plugin (as Kong's KongPlugin), attached with the tollgate.dev/plugins annotation.")]
[GenericAdditionalPrinterColumn(".plugin", "Plugin", "string", Description = "The plugin's name")]
[GenericAdditionalPrinterColumn(".disabled", "Disabled", "boolean", Description = "Whether it is configured but not run")]
[GenericAdditionalPrinterColumn(".status.conditions[?(@.type==\"Programmed\")].status", "Programmed", "string", Description = "Whether the gateways serve it")]
[GenericAdditionalPrinterColumn(".metadata.creationTimestamp", "Age", "date")]
public sealed class TollgatePlugin() : PluginResource("TollgatePlugin");
