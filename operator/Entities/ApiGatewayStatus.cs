using Gateway.Operator.Schema;

namespace Gateway.Operator.Entities;

public sealed class ApiGatewayStatus
{
    [Description("The metadata.generation this status describes.")]
    public long? ObservedGeneration { get; set; }

    [Description("Ready is always present; Reconciling and Stalled appear while true; one condition per component (DatabaseReady, MigrationsComplete, RedisReady, ProxyAvailable); ConfigurationSynced for the configuration declared as Kubernetes objects.")]
    public List<Condition> Conditions { get; set; } = [];

    [Description("Proxy pods ready to serve.")]
    public int ReadyReplicas { get; set; }

    [Description("Proxy pods desired.")]
    public int Replicas { get; set; }

    [Description("Ready/desired proxies, e.g. 2/2.")]
    public string? Proxies { get; set; }

    [Description("Where clients reach the gateway.")]
    public string? Endpoint { get; set; }

    [Description("The Tollgate version the proxies run.")]
    public string? Version { get; set; }

    [Description("The configuration declared as Kubernetes objects (Ingresses, Services, plugin and consumer resources) and what the proxies serve of it.")]
    public ConfigurationStatus? Configuration { get; set; }
}

/// <summary>How the last sync of the configuration declared as Kubernetes objects went.</summary>
public sealed class ConfigurationStatus
{
    [Description("Source objects the proxies serve as declared.")]
    public int Programmed { get; set; }

    [Description("Source objects the proxies do not serve (wholly) as declared; each says why in its status or Events.")]
    public int Failed { get; set; }

    [Description("When the proxies last took a change.")]
    public DateTimeOffset? LastSyncTime { get; set; }
}

/// <summary>A condition in the shape of metav1.Condition.</summary>
public sealed record Condition
{
    [Required] public string Type { get; init; } = "";
    [Required] [Description("True, False or Unknown.")] public string Status { get; init; } = "Unknown";
    [Description("One CamelCase word for machines.")] public string? Reason { get; init; }
    [Description("A sentence for people.")] public string? Message { get; init; }
    public long? ObservedGeneration { get; init; }
    public DateTimeOffset? LastTransitionTime { get; init; }
}
