using System.Text.Json.Serialization;
using Gateway.Operator.Schema;

namespace Gateway.Operator.Entities;

/// <summary>Where a plugin's configuration comes from when it holds secrets: a key of a Secret, whose value is the config as JSON.</summary>
public sealed class PluginConfigSource
{
    [Required]
    [Description("The Secret key whose value is the plugin's configuration, as a JSON object.")]
    public SecretKeySource SecretKeyRef { get; set; } = new();
}

public sealed class SecretKeySource
{
    [Required]
    [Description("The Secret's name.")]
    public string Name { get; set; } = "";

    [Required]
    [Description("The key within the Secret.")]
    public string Key { get; set; } = "";

    [Description("The Secret's namespace; only for cluster-wide plugins, which have none of their own.")]
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }
}
