using Gateway.Operator.Manifests;

namespace Gateway.Operator.Tests.Manifests;

/// <summary>
/// The operator's permissions, written out. A new resource or verb in the generated roles fails here until
/// this list is changed with it, on purpose; EndToEnd/PermissionsTests checks that each one is used.
/// </summary>
public class RoleTests
{
    static string[] Grants(IEnumerable<V1PolicyRule> rules) =>
        (from rule in rules from verb in rule.Verbs from g in rule.ApiGroups from resource in rule.Resources
         select $"{verb} {(g.Length == 0 ? "core" : g)}/{resource}").Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void The_cluster_role_grants_exactly_these_permissions()
    {
        string[] expected =
        [
            "create apps/deployments", "create apps/statefulsets", "create batch/jobs", "create core/events", "create core/secrets",
            "create core/serviceaccounts", "create core/services", "create networking.k8s.io/networkpolicies", "create policy/poddisruptionbudgets",
            "delete batch/jobs",
            "create networking.k8s.io/ingressclasses", "delete networking.k8s.io/ingressclasses", "get networking.k8s.io/ingressclasses",
            "list networking.k8s.io/ingressclasses", "patch networking.k8s.io/ingressclasses", "watch networking.k8s.io/ingressclasses",
            "get apps/deployments", "get apps/statefulsets", "get batch/jobs", "get core/secrets", "get core/serviceaccounts", "get core/services",
            "get networking.k8s.io/networkpolicies", "get policy/poddisruptionbudgets",
            "list apps/deployments", "list apps/statefulsets", "list batch/jobs", "list core/serviceaccounts", "list core/services",
            "list networking.k8s.io/networkpolicies", "list policy/poddisruptionbudgets", "list tollgate.dev/apigateways",
            "patch apps/deployments", "patch apps/statefulsets", "patch core/serviceaccounts", "patch core/services",
            "patch networking.k8s.io/networkpolicies", "patch policy/poddisruptionbudgets", "patch tollgate.dev/apigateways",
            "update tollgate.dev/apigateways/finalizers", "update tollgate.dev/apigateways/status",
            "watch apps/deployments", "watch apps/statefulsets", "watch batch/jobs", "watch core/serviceaccounts", "watch core/services",
            "watch networking.k8s.io/networkpolicies", "watch policy/poddisruptionbudgets", "watch tollgate.dev/apigateways",
            // What a gateway's configuration is translated from, and the status written back on it.
            "list discovery.k8s.io/endpointslices", "watch discovery.k8s.io/endpointslices",
            "list networking.k8s.io/ingresses", "watch networking.k8s.io/ingresses", "update networking.k8s.io/ingresses/status",
            "list tollgate.dev/tollgateplugins", "watch tollgate.dev/tollgateplugins", "update tollgate.dev/tollgateplugins/status",
            "list tollgate.dev/tollgateclusterplugins", "watch tollgate.dev/tollgateclusterplugins", "update tollgate.dev/tollgateclusterplugins/status",
            "list tollgate.dev/tollgateconsumers", "watch tollgate.dev/tollgateconsumers", "update tollgate.dev/tollgateconsumers/status",
            "list core/namespaces", "watch core/namespaces",
            "list gateway.networking.k8s.io/gatewayclasses", "watch gateway.networking.k8s.io/gatewayclasses",
            "list gateway.networking.k8s.io/gateways", "watch gateway.networking.k8s.io/gateways",
            "list gateway.networking.k8s.io/httproutes", "watch gateway.networking.k8s.io/httproutes",
            "list gateway.networking.k8s.io/referencegrants", "watch gateway.networking.k8s.io/referencegrants",
            "update gateway.networking.k8s.io/gatewayclasses/status", "update gateway.networking.k8s.io/gateways/status",
            "update gateway.networking.k8s.io/httproutes/status",
            // The ApiGateway made for a Gateway that names none, removed when it names one.
            "create tollgate.dev/apigateways", "delete tollgate.dev/apigateways",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Grants(OperatorManifests.ClusterRole().Rules));
    }

    [Fact]
    public void The_leader_election_role_grants_only_its_lease()
    {
        Assert.Equal(["create coordination.k8s.io/leases", "get coordination.k8s.io/leases", "update coordination.k8s.io/leases"],
            Grants(OperatorManifests.LeaderElectionRole().Rules));
    }

    [Fact]
    public void Nothing_lets_the_operator_grant_rights_list_secrets_or_delete_volumes()
    {
        var rules = OperatorManifests.ClusterRole().Rules;
        Assert.DoesNotContain(rules, r => r.ApiGroups.Contains("rbac.authorization.k8s.io"));
        Assert.DoesNotContain(rules, r => r.Resources.Contains("secrets") && (r.Verbs.Contains("list") || r.Verbs.Contains("watch")));
        Assert.DoesNotContain(rules, r => r.Resources.Contains("persistentvolumeclaims"));
        Assert.DoesNotContain(rules, r => r.Verbs.Contains("*") || r.Resources.Contains("*"));
    }
}
