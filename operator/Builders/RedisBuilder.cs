using Gateway.Operator.Entities;

namespace Gateway.Operator.Builders;

/// <summary>
/// The managed Redis for shared rate-limit counters. Counters are short-lived, so nothing is persisted.
/// Clients must authenticate with the password of the <c>&lt;gw&gt;-redis</c> Secret.
/// </summary>
public static class RedisBuilder
{
    const long RedisUser = 999; // the redis user of the official images
    const string PasswordVariable = "REDIS_PASSWORD";

    /// <summary>
    /// The password reaches redis-server as configuration on its standard input. The pod spec shows only
    /// the Secret reference, and the password stays off redis-server's command line, which every process
    /// on the node can read (the environment is readable only by the same user).
    /// </summary>
    public const string Start = $"exec redis-server - --save '' --appendonly no <<EOF\nrequirepass ${PasswordVariable}\nEOF\n";

    public static V1Deployment Deployment(ApiGateway gw)
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
                            Command = ["sh", "-c", Start],
                            Env = [new() { Name = PasswordVariable, ValueFrom = new() { SecretKeyRef = new() { Name = GatewayNames.Redis(gw), Key = SecretBuilder.PasswordKey } } }],
                            Ports = [new() { Name = "redis", ContainerPort = GatewayEnvironment.RedisPort, Protocol = "TCP" }],
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

    public static V1Service Service(ApiGateway gw) => new()
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
