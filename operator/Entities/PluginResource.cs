using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Schema;

namespace Gateway.Operator.Entities;

/// <summary>
/// What both plugin kinds declare, as Kong Ingress Controller's KongPlugin and KongClusterPlugin do: top-level
/// fields, no spec.
/// </summary>
public abstract class PluginResource(string kind) : IKubernetesObject<V1ObjectMeta>, IStatusObject<ProgrammedStatus>
{
    [JsonPropertyOrder(-3)] public string ApiVersion { get; set; } = ApiGateway.Group + "/v1alpha1";

    [JsonPropertyOrder(-2)] public string Kind { get; set; } = kind;

    [JsonPropertyOrder(-1)] public V1ObjectMeta Metadata { get; set; } = new();

    [Required]
    [Pattern("^[a-z][a-z0-9-]*$")]
    [Description("The plugin's name, as Kong names it: key-auth, rate-limiting, acl, ...")]
    public string Plugin { get; set; } = "";

    [Description("The plugin's configuration, as in Kong's Admin API.")]
    public JsonObject? Config { get; set; }

    [Description("The plugin's configuration from a Secret instead of config (for configurations that hold secrets).")]
    public PluginConfigSource? ConfigFrom { get; set; }

    [Description("Configured but not run.")]
    public bool Disabled { get; set; }

    [Description("The protocols the plugin runs on; all the plugin supports when empty.")]
    public List<string>? Protocols { get; set; }

    [Description("A name for this plugin instance, unique in the gateway.")]
    [JsonPropertyName("instance_name")]
    public string? InstanceName { get; set; }

    public ProgrammedStatus? Status { get; set; }
}
