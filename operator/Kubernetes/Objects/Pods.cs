using System.Text.Json.Serialization;

namespace Gateway.Operator.Kubernetes.Objects;

// The parts of a pod template that the gateway's workloads use.

public sealed class PodTemplateSpec
{
    public ObjectMeta? Metadata { get; set; }
    public PodSpec Spec { get; set; } = new();
}

public sealed class PodSpec
{
    public string? ServiceAccountName { get; set; }
    public bool? AutomountServiceAccountToken { get; set; }
    public PodSecurityContext? SecurityContext { get; set; }
    public List<Container> Containers { get; set; } = [];
    public List<Volume>? Volumes { get; set; }
    public string? RestartPolicy { get; set; }
    public long? TerminationGracePeriodSeconds { get; set; }
}

public sealed class PodSecurityContext
{
    public bool? RunAsNonRoot { get; set; }
    public long? RunAsUser { get; set; }
    public long? FsGroup { get; set; }
    public SeccompProfile? SeccompProfile { get; set; }
}

public sealed class SeccompProfile
{
    public string Type { get; set; } = "RuntimeDefault";
}

public sealed class Container
{
    public string Name { get; set; } = "";
    public string Image { get; set; } = "";
    public string? ImagePullPolicy { get; set; }
    public List<string>? Command { get; set; }
    public List<string>? Args { get; set; }
    public List<EnvVar>? Env { get; set; }
    public List<ContainerPort>? Ports { get; set; }
    public ResourceRequirements? Resources { get; set; }
    public Probe? LivenessProbe { get; set; }
    public Probe? ReadinessProbe { get; set; }
    public Probe? StartupProbe { get; set; }
    public List<VolumeMount>? VolumeMounts { get; set; }
    public SecurityContext? SecurityContext { get; set; }
}

public sealed class SecurityContext
{
    public bool? RunAsNonRoot { get; set; }
    public bool? ReadOnlyRootFilesystem { get; set; }
    public bool? AllowPrivilegeEscalation { get; set; }
    public Capabilities? Capabilities { get; set; }
}

public sealed class Capabilities
{
    public List<string>? Drop { get; set; }
}

public sealed class EnvVar
{
    public string Name { get; set; } = "";
    public string? Value { get; set; }
    public EnvVarSource? ValueFrom { get; set; }
}

public sealed class EnvVarSource
{
    public SecretKeySelector? SecretKeyRef { get; set; }
    public ObjectFieldSelector? FieldRef { get; set; }
}

public sealed class ObjectFieldSelector
{
    public string FieldPath { get; set; } = "";
}

public sealed class SecretKeySelector
{
    public string Name { get; set; } = "";
    public string Key { get; set; } = "";
}

public sealed class ContainerPort
{
    public string? Name { get; set; }
    [JsonPropertyName("containerPort")] public int Number { get; set; }
    public string? Protocol { get; set; }
}

public sealed class ResourceRequirements
{
    public Dictionary<string, string>? Requests { get; set; }
    public Dictionary<string, string>? Limits { get; set; }
}

public sealed class Probe
{
    public HttpGetAction? HttpGet { get; set; }
    public ExecAction? Exec { get; set; }
    public TcpSocketAction? TcpSocket { get; set; }
    public int? InitialDelaySeconds { get; set; }
    public int? PeriodSeconds { get; set; }
    public int? TimeoutSeconds { get; set; }
    public int? FailureThreshold { get; set; }
}

public sealed class HttpGetAction
{
    public string Path { get; set; } = "/";
    public IntOrString Port { get; set; } = 80;
}

public sealed class ExecAction
{
    public List<string> Command { get; set; } = [];
}

public sealed class TcpSocketAction
{
    public IntOrString Port { get; set; } = 80;
}

public sealed class VolumeMount
{
    public string Name { get; set; } = "";
    public string MountPath { get; set; } = "";
    public string? SubPath { get; set; }
    public bool? ReadOnly { get; set; }
}

public sealed class Volume
{
    public string Name { get; set; } = "";
    public EmptyDirVolumeSource? EmptyDir { get; set; }
    public SecretVolumeSource? Secret { get; set; }
}

public sealed class EmptyDirVolumeSource
{
    public string? Medium { get; set; }
    public string? SizeLimit { get; set; }
}

public sealed class SecretVolumeSource
{
    public string SecretName { get; set; } = "";
}

public sealed class LabelSelector
{
    public Dictionary<string, string>? MatchLabels { get; set; }
}
