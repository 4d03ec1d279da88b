using Gateway.Operator.Entities;

namespace Gateway.Operator.Builders;

/// <summary>
/// <c>Gateway.Proxy migrate</c> in a Job named for the proxy image, run before any proxy of that image
/// starts. Migrations are idempotent, so a retried pod is harmless.
/// </summary>
public static class MigrationJobBuilder
{
    public static V1Job Job(ApiGateway gw)
    {
        var tmp = PodDefaults.Scratch("tmp", "/tmp");
        return new()
        {
            Metadata = GatewayLabels.Metadata(gw, GatewayNames.MigrationJob(gw), Components.Migration,
                new() { [ImageAnnotation] = GatewayNames.ProxyImage(gw) }),
            Spec = new()
            {
                BackoffLimit = 4,
                ActiveDeadlineSeconds = 600,
                Template = PodDefaults.Template(gw, Components.Migration, PodDefaults.ProxyUser, new()
                {
                    RestartPolicy = "Never",
                    Containers =
                    [
                        new()
                        {
                            Name = "migrate",
                            Image = GatewayNames.ProxyImage(gw),
                            ImagePullPolicy = gw.Spec.Proxy.ImagePullPolicy.ToString(),
                            Args = ["migrate"],
                            Env = GatewayEnvironment.Database(gw),
                            SecurityContext = PodDefaults.ContainerSecurity(),
                            VolumeMounts = [tmp.Mount],
                        },
                    ],
                    Volumes = [tmp.Volume],
                }),
            },
        };
    }

    /// <summary>Records which image a migration Job prepared the database for.</summary>
    public const string ImageAnnotation = "tollgate.dev/proxy-image";
}
