using System.Text.Json.Nodes;
using Gateway.Operator.Builders;
using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Reconciliation;
using Gateway.Operator.Runtime;
using Gateway.Operator.Sync;

namespace Gateway.Operator.Manifests;

/// <summary>
/// Everything under config/ that is derived from code, laid out as kubebuilder does: the CRD, the
/// operator's RBAC (from the <see cref="EntityRbacAttribute"/>s), its Deployment and the kustomizations.
/// Samples are written by hand and are not produced here.
/// </summary>
public static class OperatorManifests
{
    public const string Namespace = "tollgate-system";
    public const string Name = GatewayLabels.Operator;
    public const string Image = "ghcr.io/tollgate/operator";

    /// <summary>Classes whose permissions apply in every namespace (gateways live anywhere).</summary>
    static readonly Type[] ClusterWide = [typeof(ApiGatewayController), typeof(ConfigurationSync), typeof(StatusWriter), typeof(GatewayProvisioner), typeof(EventRecorder)];

    /// <summary>Classes whose permissions apply only in the operator's own namespace.</summary>
    static readonly Type[] OwnNamespace = [typeof(LeaderElector)];

    /// <summary>Relative path under config/ → file content.</summary>
    public static SortedDictionary<string, string> Files()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["rbac/service_account.yaml"] = Document(ServiceAccount()),
            ["rbac/role.yaml"] = Document(ClusterRole()),
            ["rbac/role_binding.yaml"] = Document(ClusterRoleBinding()),
            ["rbac/leader_election_role.yaml"] = Document(LeaderElectionRole()),
            ["rbac/leader_election_role_binding.yaml"] = Document(LeaderElectionRoleBinding()),
            ["manager/manager.yaml"] = Yaml.Documents([
                ObjectJson.ToNode(EntityInfo.WithTypeMeta(new V1Namespace { Metadata = new() { Name = Namespace, Labels = Labels() } })),
                ObjectJson.ToNode(EntityInfo.WithTypeMeta(OperatorDeployment())),
            ]),
        };

        foreach (var crd in CustomResourceDefinitions())
            files[$"crd/bases/{crd.Metadata.Name!.Split('.', 2)[1]}_{crd.Spec.Names.Plural}.yaml"] = Document(crd);
        files["crd/kustomization.yaml"] = Kustomization(files.Keys, "crd/");
        files["rbac/kustomization.yaml"] = Kustomization(files.Keys, "rbac/");
        files["manager/kustomization.yaml"] = Kustomization(files.Keys, "manager/");
        files["default/kustomization.yaml"] = Yaml.Documents([new JsonObject
        {
            ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
            ["kind"] = "Kustomization",
            ["namespace"] = Namespace,
            ["resources"] = new JsonArray("../crd", "../rbac", "../manager"),
        }]);
        return files;
    }

    /// <summary>Every kind the operator defines: the gateway, and the plugin and consumer resources that configure it.</summary>
    public static IEnumerable<V1CustomResourceDefinition> CustomResourceDefinitions() =>
    [
        CrdGenerator.For<ApiGateway>(),
        CrdGenerator.For<TollgatePlugin>(),
        CrdGenerator.For<TollgateClusterPlugin>(),
        CrdGenerator.For<TollgateConsumer>(),
    ];

    /// <summary>What the operator may do in every namespace.</summary>
    public static V1ClusterRole ClusterRole() => new() { Metadata = new() { Name = Name }, Rules = RbacGenerator.Rules(ClusterWide) };

    /// <summary>The operator's identity.</summary>
    public static V1ServiceAccount ServiceAccount() => new() { Metadata = Meta(Name) };

    public static V1ClusterRoleBinding ClusterRoleBinding() => new()
    {
        Metadata = new() { Name = Name },
        RoleRef = new() { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = Name },
        Subjects = [new() { Kind = "ServiceAccount", Name = Name, NamespaceProperty = Namespace }],
    };

    public static V1RoleBinding LeaderElectionRoleBinding() => new()
    {
        Metadata = Meta(Name + "-leader-election"),
        RoleRef = new() { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = Name + "-leader-election" },
        Subjects = [new() { Kind = "ServiceAccount", Name = Name, NamespaceProperty = Namespace }],
    };

    /// <summary>What the operator may do in its own namespace only.</summary>
    public static V1Role LeaderElectionRole() => new() { Metadata = Meta(Name + "-leader-election"), Rules = RbacGenerator.Rules(OwnNamespace) };

    static string Kustomization(IEnumerable<string> paths, string folder) => Yaml.Documents([new JsonObject
    {
        ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
        ["kind"] = "Kustomization",
        ["resources"] = new JsonArray(paths
            .Where(p => p.StartsWith(folder, StringComparison.Ordinal) && !p.EndsWith("kustomization.yaml", StringComparison.Ordinal))
            .Select(p => (JsonNode)p[folder.Length..])
            .ToArray()),
    }]);

    static string Document<T>(T value) where T : IKubernetesObject => Yaml.Documents([ObjectJson.ToNode(EntityInfo.WithTypeMeta(value))]);

    static V1ObjectMeta Meta(string name) => new() { Name = name, NamespaceProperty = Namespace, Labels = Labels() };

    static Dictionary<string, string> Labels() => new(GatewayLabels.OperatorPods())
    {
        [GatewayLabels.PartOf] = "tollgate",
    };

    /// <summary>Two replicas behind leader election: one reconciles, the other takes over within a lease period.</summary>
    static V1Deployment OperatorDeployment() => new()
    {
        Metadata = Meta(Name),
        Spec = new()
        {
            Replicas = 2,
            Selector = new() { MatchLabels = GatewayLabels.OperatorPods() },
            Template = new()
            {
                Metadata = new() { Labels = Labels() },
                Spec = new()
                {
                    ServiceAccountName = Name,
                    SecurityContext = new() { RunAsNonRoot = true, SeccompProfile = new() { Type = "RuntimeDefault" } },
                    TerminationGracePeriodSeconds = 15,
                    Containers =
                    [
                        new()
                        {
                            Name = "operator",
                            Image = $"{Image}:{ApiGatewaySpec.DefaultVersion}",
                            Args = ["run"],
                            Env =
                            [
                                new() { Name = "POD_NAME", ValueFrom = new() { FieldRef = new() { FieldPath = "metadata.name" } } },
                                new() { Name = "POD_NAMESPACE", ValueFrom = new() { FieldRef = new() { FieldPath = "metadata.namespace" } } },
                            ],
                            Ports = [new() { Name = "health", ContainerPort = HealthEndpoint.Port, Protocol = "TCP" }],
                            LivenessProbe = new() { HttpGet = new() { Path = "/healthz", Port = "health" }, PeriodSeconds = 10 },
                            ReadinessProbe = new() { HttpGet = new() { Path = "/readyz", Port = "health" }, PeriodSeconds = 5 },
                            Resources = new()
                            {
                                Requests = PodDefaults.Quantities(new Dictionary<string, string> { ["cpu"] = "50m", ["memory"] = "64Mi" }),
                                Limits = PodDefaults.Quantities(new Dictionary<string, string> { ["memory"] = "128Mi" }),
                            },
                            SecurityContext = new()
                            {
                                ReadOnlyRootFilesystem = true,
                                AllowPrivilegeEscalation = false,
                                Capabilities = new() { Drop = ["ALL"] },
                            },
                        },
                    ],
                },
            },
        },
    };
}
