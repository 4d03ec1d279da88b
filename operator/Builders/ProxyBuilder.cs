using Gateway.Operator.Entities;

namespace Gateway.Operator.Builders;

/// <summary>The proxy pods, their disruption budget and the Services in front of them.</summary>
public static class ProxyBuilder
{
    /// <summary>
    /// The proxy Deployment running <paramref name="image"/>. The caller passes the image whose migrations
    /// have completed, which is how proxies roll only after their migration Job.
    /// </summary>
    public static V1Deployment Deployment(ApiGateway gw, string image)
    {
        var proxy = gw.Spec.Proxy;
        var cache = PodDefaults.Scratch("cache", GatewayEnvironment.CacheVolume);
        var tmp = PodDefaults.Scratch("tmp", "/tmp");
        var volumes = new List<V1Volume> { cache.Volume, tmp.Volume };
        var mounts = new List<V1VolumeMount> { cache.Mount, tmp.Mount };
        var ports = new List<V1ContainerPort>
        {
            new() { Name = "proxy", ContainerPort = GatewayEnvironment.ProxyPort, Protocol = "TCP" },
            new() { Name = "admin", ContainerPort = GatewayEnvironment.AdminPort, Protocol = "TCP" },
            new() { Name = "status", ContainerPort = GatewayEnvironment.StatusPort, Protocol = "TCP" },
        };
        if (proxy.Tls is { } tls)
        {
            ports.Insert(1, new() { Name = "proxy-tls", ContainerPort = GatewayEnvironment.ProxyTlsPort, Protocol = "TCP" });
            volumes.Add(new() { Name = "tls", Secret = new() { SecretName = tls.SecretName } });
            mounts.Add(new() { Name = "tls", MountPath = GatewayEnvironment.TlsDirectory, ReadOnlyProperty = true });
        }

        return new()
        {
            Metadata = GatewayLabels.Metadata(gw, GatewayNames.Proxy(gw), Components.Proxy),
            Spec = new()
            {
                Replicas = proxy.Replicas,
                Selector = new() { MatchLabels = GatewayLabels.Selector(gw, Components.Proxy) },
                // Surge first: a rollout never takes serving capacity away.
                Strategy = new() { Type = "RollingUpdate", RollingUpdate = new() { MaxUnavailable = 0, MaxSurge = 1 } },
                RevisionHistoryLimit = 5,
                Template = PodDefaults.Template(gw, Components.Proxy, PodDefaults.ProxyUser, new()
                {
                    TerminationGracePeriodSeconds = 30,
                    Containers =
                    [
                        new()
                        {
                            Name = "proxy",
                            Image = image,
                            ImagePullPolicy = proxy.ImagePullPolicy.ToString(),
                            Args = ["serve"],
                            Env = GatewayEnvironment.Proxy(gw),
                            Ports = ports,
                            LivenessProbe = new() { HttpGet = new() { Path = "/healthz", Port = "status" }, PeriodSeconds = 10, FailureThreshold = 3 },
                            ReadinessProbe = new() { HttpGet = new() { Path = "/readyz", Port = "status" }, PeriodSeconds = 5, FailureThreshold = 2 },
                            Resources = PodDefaults.Resources(proxy.Resources),
                            SecurityContext = PodDefaults.ContainerSecurity(),
                            VolumeMounts = mounts,
                        },
                    ],
                    Volumes = volumes,
                }),
            },
        };
    }

    public static V1PodDisruptionBudget DisruptionBudget(ApiGateway gw) => new()
    {
        Metadata = GatewayLabels.Metadata(gw, GatewayNames.Proxy(gw), Components.Proxy),
        Spec = new()
        {
            MaxUnavailable = gw.Spec.Proxy.MaxUnavailable,
            Selector = new() { MatchLabels = GatewayLabels.Selector(gw, Components.Proxy) },
        },
    };

    /// <summary>Where clients reach the gateway: HTTP, and TLS when configured.</summary>
    public static V1Service ProxyService(ApiGateway gw)
    {
        var service = gw.Spec.Proxy.Service;
        var exposesNodePorts = service.Type != ServiceKind.ClusterIP;
        var ports = new List<V1ServicePort>
        {
            new() { Name = "http", Port = service.Port, TargetPort = "proxy", NodePort = exposesNodePorts ? service.NodePort : null, Protocol = "TCP" },
        };
        if (gw.Spec.Proxy.Tls is not null)
            ports.Add(new() { Name = "https", Port = service.TlsPort, TargetPort = "proxy-tls", NodePort = exposesNodePorts ? service.TlsNodePort : null, Protocol = "TCP" });
        return new()
        {
            Metadata = GatewayLabels.Metadata(gw, GatewayNames.Proxy(gw), Components.Proxy, service.Annotations),
            Spec = new()
            {
                Type = service.Type.ToString(),
                Selector = GatewayLabels.Selector(gw, Components.Proxy),
                Ports = ports,
            },
        };
    }

    /// <summary>The Admin API inside the cluster only; every request needs the admin token.</summary>
    public static V1Service AdminService(ApiGateway gw) => new()
    {
        Metadata = GatewayLabels.Metadata(gw, GatewayNames.Admin(gw), Components.Admin),
        Spec = new()
        {
            Type = "ClusterIP",
            Selector = GatewayLabels.Selector(gw, Components.Proxy),
            Ports = [new() { Name = "admin", Port = GatewayEnvironment.AdminPort, TargetPort = "admin", Protocol = "TCP" }],
        },
    };
}
