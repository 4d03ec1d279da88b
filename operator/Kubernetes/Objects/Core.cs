namespace Gateway.Operator.Kubernetes.Objects;

// Core (v1) kinds.

[KubernetesEntity(ApiVersion = "v1", Kind = "Namespace", PluralName = "namespaces", Namespaced = false)]
public sealed class Namespace : KubernetesObject;

[KubernetesEntity(ApiVersion = "v1", Kind = "ServiceAccount", PluralName = "serviceaccounts")]
public sealed class ServiceAccount : KubernetesObject
{
    public bool? AutomountServiceAccountToken { get; set; }
}

[KubernetesEntity(ApiVersion = "v1", Kind = "Secret", PluralName = "secrets")]
public sealed class Secret : KubernetesObject
{
    public string? Type { get; set; }
    /// <summary>Values are base64, as the API stores them.</summary>
    public Dictionary<string, string>? Data { get; set; }
    /// <summary>Write-only convenience: the server base64-encodes these into <see cref="Data"/>.</summary>
    public Dictionary<string, string>? StringData { get; set; }
}

[KubernetesEntity(ApiVersion = "v1", Kind = "Service", PluralName = "services")]
public sealed class Service : KubernetesObject, IStatusObject<ServiceStatus>
{
    public ServiceSpec Spec { get; set; } = new();
    public ServiceStatus? Status { get; set; }
}

public sealed class ServiceSpec
{
    public string? Type { get; set; }
    public string? ClusterIP { get; set; }
    public Dictionary<string, string>? Selector { get; set; }
    public List<ServicePort> Ports { get; set; } = [];
    public bool? PublishNotReadyAddresses { get; set; }
}

public sealed class ServicePort
{
    public string? Name { get; set; }
    public int Port { get; set; }
    public Objects.IntOrString? TargetPort { get; set; }
    public int? NodePort { get; set; }
    public string? Protocol { get; set; }
}

public sealed class ServiceStatus
{
    public LoadBalancerStatus? LoadBalancer { get; set; }
}

public sealed class LoadBalancerStatus
{
    public List<LoadBalancerIngress>? Ingress { get; set; }
}

public sealed class LoadBalancerIngress
{
    public string? Ip { get; set; }
    public string? Hostname { get; set; }
}

[KubernetesEntity(ApiVersion = "v1", Kind = "PersistentVolumeClaim", PluralName = "persistentvolumeclaims")]
public sealed class PersistentVolumeClaim : KubernetesObject
{
    public PersistentVolumeClaimSpec Spec { get; set; } = new();
}

public sealed class PersistentVolumeClaimSpec
{
    public List<string> AccessModes { get; set; } = [];
    public string? StorageClassName { get; set; }
    public ResourceRequirements Resources { get; set; } = new();
}

[KubernetesEntity(ApiVersion = "v1", Kind = "Event", PluralName = "events")]
public sealed class Event : KubernetesObject
{
    public ObjectReference InvolvedObject { get; set; } = new();
    public string? Reason { get; set; }
    public string? Message { get; set; }
    /// <summary>"Normal" or "Warning".</summary>
    public string? Type { get; set; }
    public int? Count { get; set; }
    public DateTimeOffset? FirstTimestamp { get; set; }
    public DateTimeOffset? LastTimestamp { get; set; }
    public EventSource? Source { get; set; }
}

public sealed class ObjectReference
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public string? Name { get; set; }
    public string? Namespace { get; set; }
    public string? Uid { get; set; }
    public string? ResourceVersion { get; set; }
}

public sealed class EventSource
{
    public string? Component { get; set; }
}
