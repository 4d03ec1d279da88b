using Gateway.Operator.Entities;

namespace Gateway.Operator.Builders;

/// <summary>The managed database: one Postgres pod in a StatefulSet with its own volume, behind a headless Service.</summary>
public static class PostgresBuilder
{
    const long PostgresUser = 70; // the postgres user of the Alpine images
    const string DataPath = "/var/lib/postgresql/data";

    public static V1Service HeadlessService(ApiGateway gw) => new()
    {
        Metadata = GatewayLabels.Metadata(gw, GatewayNames.Postgres(gw), Components.Postgres),
        Spec = new()
        {
            ClusterIP = "None",
            Selector = GatewayLabels.Selector(gw, Components.Postgres),
            Ports = [new() { Name = "postgres", Port = GatewayEnvironment.PostgresPort, TargetPort = GatewayEnvironment.PostgresPort }],
        },
    };

    public static V1StatefulSet StatefulSet(ApiGateway gw)
    {
        var managed = gw.Spec.Database.Managed;
        var socket = PodDefaults.Scratch("run", "/var/run/postgresql");
        var tmp = PodDefaults.Scratch("tmp", "/tmp");
        var ready = new V1Probe
        {
            Exec = new() { Command = ["pg_isready", "-U", GatewayEnvironment.DatabaseUser, "-d", GatewayEnvironment.DatabaseName] },
            PeriodSeconds = 5,
        };
        return new()
        {
            Metadata = GatewayLabels.Metadata(gw, GatewayNames.Postgres(gw), Components.Postgres),
            Spec = new()
            {
                Replicas = 1,
                ServiceName = GatewayNames.Postgres(gw),
                Selector = new() { MatchLabels = GatewayLabels.Selector(gw, Components.Postgres) },
                PersistentVolumeClaimRetentionPolicy = new()
                {
                    WhenDeleted = managed.DeleteVolumeOnDelete ? "Delete" : "Retain",
                    WhenScaled = "Retain",
                },
                Template = PodDefaults.Template(gw, Components.Postgres, PostgresUser, new()
                {
                    Containers =
                    [
                        new()
                        {
                            Name = "postgres",
                            Image = managed.Image,
                            Env =
                            [
                                new() { Name = "POSTGRES_USER", Value = GatewayEnvironment.DatabaseUser },
                                new() { Name = "POSTGRES_DB", Value = GatewayEnvironment.DatabaseName },
                                new() { Name = "POSTGRES_PASSWORD", ValueFrom = new() { SecretKeyRef = new() { Name = GatewayNames.Postgres(gw), Key = SecretBuilder.PasswordKey } } },
                                new() { Name = "PGDATA", Value = DataPath + "/pgdata" },
                            ],
                            Ports = [new() { Name = "postgres", ContainerPort = GatewayEnvironment.PostgresPort, Protocol = "TCP" }],
                            ReadinessProbe = ready,
                            LivenessProbe = new() { Exec = ready.Exec, PeriodSeconds = 10, InitialDelaySeconds = 30, FailureThreshold = 6 },
                            Resources = PodDefaults.Resources(managed.Resources),
                            SecurityContext = PodDefaults.ContainerSecurity(),
                            VolumeMounts = [new() { Name = "data", MountPath = DataPath }, socket.Mount, tmp.Mount],
                        },
                    ],
                    Volumes = [socket.Volume, tmp.Volume],
                }),
                VolumeClaimTemplates =
                [
                    new()
                    {
                        Metadata = new() { Name = "data", Labels = GatewayLabels.For(gw, Components.Postgres) },
                        Spec = new()
                        {
                            AccessModes = ["ReadWriteOnce"],
                            StorageClassName = managed.StorageClassName,
                            Resources = new() { Requests = PodDefaults.Quantities(new Dictionary<string, string> { ["storage"] = managed.StorageSize }) },
                        },
                    },
                ],
            },
        };
    }
}
