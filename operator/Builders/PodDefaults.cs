using Gateway.Operator.Entities;

namespace Gateway.Operator.Builders;

/// <summary>Hardening shared by every pod the operator creates: non-root, no privilege escalation, read-only root.</summary>
static class PodDefaults
{
    public static V1PodSecurityContext PodSecurity(long user) => new()
    {
        RunAsNonRoot = true,
        RunAsUser = user,
        FsGroup = user,
        SeccompProfile = new() { Type = "RuntimeDefault" },
    };

    public static V1SecurityContext ContainerSecurity() => new()
    {
        ReadOnlyRootFilesystem = true,
        AllowPrivilegeEscalation = false,
        Capabilities = new() { Drop = ["ALL"] },
    };

    /// <summary>A writable scratch directory on an otherwise read-only filesystem.</summary>
    public static (V1Volume Volume, V1VolumeMount Mount) Scratch(string name, string path) =>
        (new V1Volume { Name = name, EmptyDir = new() }, new V1VolumeMount { Name = name, MountPath = path });

    public static V1ResourceRequirements Resources(ResourcesSpec spec) => new()
    {
        Requests = Quantities(spec.Requests),
        Limits = Quantities(spec.Limits),
    };

    /// <summary>
    /// Resource amounts as the API server stores them: a quantity is written in its canonical form (1024Mi as 1Gi), so
    /// what the operator wants compares equal to what it reads back.
    /// </summary>
    public static Dictionary<string, ResourceQuantity>? Quantities(IReadOnlyDictionary<string, string>? amounts) =>
        amounts?.ToDictionary(amount => amount.Key, amount => new ResourceQuantity(amount.Value));

    /// <summary>The user the proxy image runs as (the proxy and its migration Job).</summary>
    public const long ProxyUser = 65532;

    /// <summary>
    /// The pod template of one component: its labels, the gateway's service account without a mounted token, and
    /// the pod hardening for <paramref name="user"/>.
    /// </summary>
    public static V1PodTemplateSpec Template(ApiGateway gw, string component, long user, V1PodSpec spec)
    {
        spec.ServiceAccountName = GatewayNames.Identity(gw);
        spec.AutomountServiceAccountToken = false;
        spec.SecurityContext = PodSecurity(user);
        return new() { Metadata = new() { Labels = GatewayLabels.For(gw, component) }, Spec = spec };
    }
}
