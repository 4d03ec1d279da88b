using Gateway.Operator.Schema;

namespace Gateway.Operator.Entities;

public sealed class ApiGatewaySpec
{
    /// <summary>The Tollgate release every image defaults to; the operator and the proxy are released together.</summary>
    public static readonly string DefaultVersion = typeof(ApiGatewaySpec).Assembly.GetName().Version!.ToString(3);

    [Description("Tollgate version: the tag of the proxy image. Changing it runs the database migrations of the new version before any proxy is replaced.")]
    [Pattern(Patterns.ImageTag)]
    public string Version { get; set; } = DefaultVersion;

    [Description("The proxy pods that serve traffic.")]
    public ProxySpec Proxy { get; set; } = new();

    [Description("Where the gateway keeps its configuration.")]
    public DatabaseSpec Database { get; set; } = new();

    [Description("Where proxies share rate-limiting counters.")]
    public RedisSpec Redis { get; set; } = new();

    [Description("The Ingress resources this gateway serves.")]
    public IngressSpec Ingress { get; set; } = new();

    [Description("Secret holding the Admin API token (key 'token' unless set). When absent the operator generates '<name>-admin-token' once and never rotates it.")]
    public SecretKeyReference? AdminTokenSecretRef { get; set; }
}

public sealed class ProxySpec
{
    [Description("Proxy image repository, without a tag (the tag is spec.version).")]
    [Pattern(Patterns.ImageRepository)]
    public string Image { get; set; } = "ghcr.io/tollgate/gateway";

    [Description("When the kubelet pulls the image.")]
    public PullPolicy ImagePullPolicy { get; set; } = PullPolicy.IfNotPresent;

    [Description("How many proxy pods run.")]
    [RangeMinimum(0)]
    [RangeMaximum(100)]
    public int Replicas { get; set; } = 2;

    [Description("CPU and memory for each proxy pod.")]
    public ResourcesSpec Resources { get; set; } = ResourcesSpec.Proxy();

    [Description("The Service clients reach the proxies through.")]
    public ProxyServiceSpec Service { get; set; } = new();

    [Description("TLS on the proxy: enables the TLS listener and the Service's TLS port.")]
    public ProxyTlsSpec? Tls { get; set; }

    [Description("At most this many proxy pods may be down at once during voluntary disruptions (drains, upgrades).")]
    [RangeMinimum(1)]
    public int MaxUnavailable { get; set; } = 1;
}

public sealed class IngressSpec
{
    [Description("The IngressClass this gateway serves. The operator keeps it (controller tollgate.dev/ingress-controller, parameters naming this gateway); a class another ApiGateway or controller holds is refused.")]
    [Pattern(Patterns.DnsSubdomain)]
    [MaxLength(253)]
    public string ClassName { get; set; } = "tollgate";
}

public enum PullPolicy { Always, IfNotPresent, Never }

public enum ServiceKind { ClusterIP, NodePort, LoadBalancer }

public sealed class ProxyServiceSpec
{
    [Description("Service type.")]
    public ServiceKind Type { get; set; } = ServiceKind.LoadBalancer;

    [Description("Plain HTTP port of the Service.")]
    [RangeMinimum(1)]
    [RangeMaximum(65535)]
    public int Port { get; set; } = 80;

    [Description("TLS port of the Service (used when spec.proxy.tls is set).")]
    [RangeMinimum(1)]
    [RangeMaximum(65535)]
    public int TlsPort { get; set; } = 443;

    [Description("Fixed node port for HTTP (NodePort and LoadBalancer types); chosen by the cluster when absent.")]
    [RangeMinimum(30000)]
    [RangeMaximum(32767)]
    public int? NodePort { get; set; }

    [Description("Fixed node port for TLS.")]
    [RangeMinimum(30000)]
    [RangeMaximum(32767)]
    public int? TlsNodePort { get; set; }

    [Description("Annotations for the Service, e.g. for a cloud load balancer.")]
    public Dictionary<string, string>? Annotations { get; set; }
}

public sealed class ProxyTlsSpec
{
    [Description("Secret of type kubernetes.io/tls holding the certificate the proxy serves.")]
    [Required]
    [Pattern(Patterns.DnsSubdomain)]
    public string SecretName { get; set; } = "";
}

public enum DatabaseMode { Managed, External }

public sealed class DatabaseSpec
{
    [Description("Managed: the operator runs Postgres in a StatefulSet. External: use the database named by external.connectionSecretRef.")]
    public DatabaseMode Mode { get; set; } = DatabaseMode.Managed;

    [Description("The Postgres the operator runs (mode Managed).")]
    public ManagedDatabaseSpec Managed { get; set; } = new();

    [Description("An existing Postgres (mode External).")]
    public ExternalConnectionSpec? External { get; set; }
}

public sealed class ManagedDatabaseSpec
{
    [Description("Postgres image.")]
    [Pattern(Patterns.ImageReference)]
    public string Image { get; set; } = "postgres:16-alpine";

    [Description("Size of the data volume.")]
    [Pattern(Patterns.Quantity)]
    public string StorageSize { get; set; } = "1Gi";

    [Description("Storage class of the data volume; the cluster default when absent.")]
    [Pattern(Patterns.DnsSubdomain)]
    public string? StorageClassName { get; set; }

    [Description("CPU and memory for the Postgres pod.")]
    public ResourcesSpec Resources { get; set; } = ResourcesSpec.Postgres();

    [Description("Delete the data volume when the ApiGateway is deleted. Off by default: the data outlives the gateway.")]
    public bool DeleteVolumeOnDelete { get; set; }
}

public enum RedisMode { Managed, External, Disabled }

public sealed class RedisSpec
{
    [Description("Managed: the operator runs Redis. External: use external.connectionSecretRef. Disabled: rate-limit counters stay local to each proxy.")]
    public RedisMode Mode { get; set; } = RedisMode.Managed;

    [Description("The Redis the operator runs (mode Managed).")]
    public ManagedRedisSpec Managed { get; set; } = new();

    [Description("An existing Redis (mode External).")]
    public ExternalConnectionSpec? External { get; set; }
}

public sealed class ManagedRedisSpec
{
    [Description("Redis image.")]
    [Pattern(Patterns.ImageReference)]
    public string Image { get; set; } = "redis:7-alpine";

    [Description("CPU and memory for the Redis pod.")]
    public ResourcesSpec Resources { get; set; } = ResourcesSpec.Redis();
}

public sealed class ExternalConnectionSpec
{
    [Description("Secret key holding the connection string (Npgsql for Postgres, StackExchange.Redis for Redis).")]
    [Required]
    public SecretKeyReference ConnectionSecretRef { get; set; } = new();
}

public sealed class SecretKeyReference
{
    [Description("Name of a Secret in the ApiGateway's namespace.")]
    [Required]
    [Pattern(Patterns.DnsSubdomain)]
    public string Name { get; set; } = "";

    [Description("Key in the Secret; defaults to 'connection' for connection strings and 'token' for the admin token.")]
    [Pattern(Patterns.SecretKey)]
    public string? Key { get; set; }
}

public sealed class ResourcesSpec
{
    [Description("Minimum resources, e.g. cpu: 100m, memory: 128Mi.")]
    public Dictionary<string, string>? Requests { get; set; }

    [Description("Maximum resources.")]
    public Dictionary<string, string>? Limits { get; set; }

    public static ResourcesSpec Proxy() => new()
    {
        Requests = new() { ["cpu"] = "100m", ["memory"] = "128Mi" },
        Limits = new() { ["memory"] = "512Mi" },
    };

    public static ResourcesSpec Postgres() => new()
    {
        Requests = new() { ["cpu"] = "100m", ["memory"] = "256Mi" },
        Limits = new() { ["memory"] = "1Gi" },
    };

    public static ResourcesSpec Redis() => new()
    {
        Requests = new() { ["cpu"] = "50m", ["memory"] = "64Mi" },
        Limits = new() { ["memory"] = "256Mi" },
    };
}

/// <summary>Regular expressions shared by the schema and the validator.</summary>
public static class Patterns
{
    public const string DnsSubdomain = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    public const string SecretKey = @"^[-._a-zA-Z0-9]+$";
    public const string ImageTag = @"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$";
    public const string ImageRepository = @"^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*$";
    public const string ImageReference = @"^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$";
    public const string Quantity = @"^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$";
}
