using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes.Objects;

namespace Gateway.Operator.Builders;

/// <summary>The managed Redis for shared rate-limit counters. Counters are short-lived, so nothing is persisted.</summary>
public static class RedisBuilder
{
    const long RedisUser = 999; // the redis user of the official images

    public static Deployment Deployment(ApiGateway gw)
    {
        var data = PodDefaults.Scratch("data", "/data");
        return new()
        {
            Metadata = GatewayLabels.Metadata(gw, GatewayNames.Redis(gw), Components.Redis),
            Spec = new()
            {
                Replicas = 1,
                Selector = new() { MatchLabels = GatewayLabels.Selector(gw, Components.Redis) },
                Strategy = new() { Type = "Recreate" },
                Template = PodDefaults.Template(gw, Components.Redis, RedisUser, new()
                {
                    Containers =
                    [
                        new()
                        {
                            Name = "redis",
                            Image = gw.Spec.Redis.Managed.Image,
                            Args = ["--save", "", "--appendonly", "no"],
                            Ports = [new() { Name = "redis", Number = GatewayEnvironment.RedisPort }],
                            ReadinessProbe = new() { TcpSocket = new() { Port = "redis" }, PeriodSeconds = 5 },
                            LivenessProbe = new() { TcpSocket = new() { Port = "redis" }, PeriodSeconds = 10, InitialDelaySeconds = 10 },
                            Resources = PodDefaults.Resources(gw.Spec.Redis.Managed.Resources),
                            SecurityContext = PodDefaults.ContainerSecurity(),
                            VolumeMounts = [data.Mount],
                        },
                    ],
                    Volumes = [data.Volume],
                }),
            },
        };
    }

    public static Service Service(ApiGateway gw) => new()
    {
        Metadata = GatewayLabels.Metadata(gw, GatewayNames.Redis(gw), Components.Redis),
        Spec = new()
        {
            Type = "ClusterIP",
            Selector = GatewayLabels.Selector(gw, Components.Redis),
            Ports = [new() { Name = "redis", Port = GatewayEnvironment.RedisPort, TargetPort = "redis" }],
        },
    };
}
