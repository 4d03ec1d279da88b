using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes.Objects;

namespace Gateway.Operator.Builders;

/// <summary>Hardening shared by every pod the operator creates: non-root, no privilege escalation, read-only root.</summary>
static class PodDefaults
{
    public static PodSecurityContext PodSecurity(long user) => new()
    {
        RunAsNonRoot = true,
        RunAsUser = user,
        FsGroup = user,
        SeccompProfile = new(),
    };

    public static SecurityContext ContainerSecurity() => new()
    {
        ReadOnlyRootFilesystem = true,
        AllowPrivilegeEscalation = false,
        Capabilities = new() { Drop = ["ALL"] },
    };

    /// <summary>A writable scratch directory on an otherwise read-only filesystem.</summary>
    public static (Volume Volume, VolumeMount Mount) Scratch(string name, string path) =>
        (new Volume { Name = name, EmptyDir = new() }, new VolumeMount { Name = name, MountPath = path });

    public static ResourceRequirements Resources(ResourcesSpec spec) => new()
    {
        Requests = spec.Requests is null ? null : new(spec.Requests),
        Limits = spec.Limits is null ? null : new(spec.Limits),
    };

    /// <summary>The user the proxy image runs as (the proxy and its migration Job).</summary>
    public const long ProxyUser = 65532;

    /// <summary>
    /// The pod template of one component: its labels, the gateway's service account without a mounted token, and
    /// the pod hardening for <paramref name="user"/>.
    /// </summary>
    public static PodTemplateSpec Template(ApiGateway gw, string component, long user, PodSpec spec)
    {
        spec.ServiceAccountName = GatewayNames.Identity(gw);
        spec.AutomountServiceAccountToken = false;
        spec.SecurityContext = PodSecurity(user);
        return new() { Metadata = new() { Labels = GatewayLabels.For(gw, component) }, Spec = spec };
    }
}
