using System.Text.Json.Nodes;
using Gateway.Operator.Builders;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Manifests;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>
/// The operator's roles against what the operator does. The in-memory API server records every authorization
/// check it makes for the operator; over a gateway's life those checks must be exactly what the generated
/// roles grant: a call the roles do not allow fails, and so does a permission nothing uses.
/// </summary>
public sealed class PermissionsTests : IAsyncLifetime
{
    OperatorHarness harness = null!;
    RunningOperator op = null!;
    readonly CancellationTokenSource kubeletStop = new();

    public async Task InitializeAsync()
    {
        harness = await OperatorHarness.StartAsync();
        // With the Gateway API's CRDs, which the operator then watches too.
        GatewayApi.GatewayApiCrds.Install(harness.Server);
        op = harness.StartOperator();
        _ = harness.Kubelet.RunAsync(kubeletStop.Token);
        await Wait.UntilAsync(() => op.IsLeader && op.Operator.Runtime.IsReady, "the operator leads with synced caches");
    }

    public async Task DisposeAsync()
    {
        await kubeletStop.CancelAsync();
        await harness.DisposeAsync();
        kubeletStop.Dispose();
    }

    static IEnumerable<(string Verb, string Group, string Resource)> Grants(IEnumerable<V1PolicyRule> rules) =>
        from rule in rules from verb in rule.Verbs from g in rule.ApiGroups from resource in rule.Resources select (verb, g, resource);

    [Fact]
    public async Task A_gateways_life_uses_exactly_the_permissions_the_generated_roles_grant()
    {
        harness.CreateGateway("edge");
        await Wait.UntilAsync(() => harness.ConditionStatus("edge", "Ready") == "True", "the gateway is Ready");
        Assert.Null(harness.Condition("edge", "Degraded")); // the Gateway API's CRDs are installed here

        // An upgrade: a new migration Job, and the old one deleted once the proxies run the new image.
        var firstJob = (string)harness.Server.List("batch/v1", "Job", "default").Single()["metadata"]!["name"]!;
        harness.Server.Patch(OperatorHarness.ApiVersion, "ApiGateway", "default", "edge", new JsonObject { ["spec"] = new JsonObject { ["version"] = "0.2.0" } });
        await Wait.UntilAsync(() => !harness.Exists("batch/v1", "Job", firstJob), "the superseded migration Job is deleted");
        await Wait.UntilAsync(() => harness.ConditionStatus("edge", "Ready") == "True", "Ready on the new version");

        // Each child loses the label the operator's caches select on: the operator's create finds it, reads it
        // and puts the label back (a Job is only read: it is never changed after creation).
        var children = new (string ApiVersion, string Kind, string Name)[]
        {
            ("v1", "ServiceAccount", "edge-proxy"), ("v1", "Service", "edge-proxy"), ("apps/v1", "Deployment", "edge-proxy"),
            ("apps/v1", "StatefulSet", "edge-postgres"), ("policy/v1", "PodDisruptionBudget", "edge-proxy"),
            ("networking.k8s.io/v1", "NetworkPolicy", "edge-proxy"),
        };
        var unlabel = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [GatewayLabels.ManagedBy] = null } } };
        foreach (var (apiVersion, kind, name) in children)
            harness.Server.Patch(apiVersion, kind, "default", name, (JsonObject)unlabel.DeepClone());
        foreach (var (apiVersion, kind, name) in children)
            await Wait.UntilAsync(() => (string?)harness.Server.Get(apiVersion, kind, "default", name)["metadata"]!["labels"]?[GatewayLabels.ManagedBy] == GatewayLabels.Operator,
                $"the {kind} is labelled again");
        var job = (string)harness.Server.List("batch/v1", "Job", "default").Single()["metadata"]!["name"]!;
        harness.Server.Patch("batch/v1", "Job", "default", job, (JsonObject)unlabel.DeepClone());
        await op.ReconcileAgainAsync("edge");
        Assert.Equal("True", harness.ConditionStatus("edge", "MigrationsComplete"));

        // A gateway an earlier version of the operator created still carries that version's finalizer, which goes.
        harness.Server.Create(OperatorHarness.ApiVersion, "ApiGateway", "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "legacy", ["finalizers"] = new JsonArray("tollgate.dev/cleanup") },
            ["spec"] = new JsonObject(),
        });
        await Wait.UntilAsync(() => harness.Gateway("legacy")["metadata"]!["finalizers"] is not JsonArray { Count: > 0 },
            "the retired finalizer is removed");
        harness.Server.Delete(OperatorHarness.ApiVersion, "ApiGateway", "default", "legacy");

        // Configuration resources get their status written back, and an Ingress the address of the proxy Service.
        harness.Server.Patch("v1", "Service", "default", "edge-proxy", new JsonObject
        {
            ["status"] = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = "203.0.113.7" }) } },
        }, status: true);
        harness.Server.Create("networking.k8s.io/v1", "Ingress", "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject { ["ingressClassName"] = "tollgate", ["defaultBackend"] = new JsonObject { ["service"] = new JsonObject { ["name"] = "edge-proxy", ["port"] = new JsonObject { ["number"] = 80 } } } },
        });
        foreach (var kind in new[] { "TollgatePlugin", "TollgateClusterPlugin" })
            harness.Server.Create(OperatorHarness.ApiVersion, kind, kind == "TollgatePlugin" ? "default" : null, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = "cors" }, ["plugin"] = "cors",
            });
        harness.Server.Create(OperatorHarness.ApiVersion, "TollgateConsumer", "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "alice" }, ["username"] = "alice", ["credentials"] = new JsonArray("alice-key"),
        });
        await Wait.UntilAsync(() => harness.Server.Get("networking.k8s.io/v1", "Ingress", "default", "web")["status"]?["loadBalancer"]?["ingress"] is JsonArray { Count: 1 },
            "the Ingress shows the proxy's address");
        foreach (var (kind, ns) in new[] { ("TollgatePlugin", "default"), ("TollgateClusterPlugin", null), ("TollgateConsumer", "default") })
            await Wait.UntilAsync(() => harness.Server.List(OperatorHarness.ApiVersion, kind, ns).All(o => o["status"]?["conditions"] is JsonArray { Count: 1 }),
                $"every {kind} has a Programmed condition");

        // Gateway API objects of our class get their status written.
        harness.Server.Create("gateway.networking.k8s.io/v1", "GatewayClass", null, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "tollgate" },
            ["spec"] = new JsonObject { ["controllerName"] = "tollgate.dev/gateway-controller" },
        });
        harness.Server.Create("gateway.networking.k8s.io/v1", "Gateway", "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject
            {
                ["gatewayClassName"] = "tollgate",
                ["infrastructure"] = new JsonObject { ["parametersRef"] = new JsonObject { ["group"] = "tollgate.dev", ["kind"] = "ApiGateway", ["name"] = "edge" } },
                ["listeners"] = new JsonArray(new JsonObject { ["name"] = "http", ["protocol"] = "HTTP", ["port"] = 80 }),
            },
        });
        harness.Server.Create("gateway.networking.k8s.io/v1", "HTTPRoute", "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "foo" },
            ["spec"] = new JsonObject { ["parentRefs"] = new JsonArray(new JsonObject { ["name"] = "web" }) },
        });
        // A Gateway naming no ApiGateway gets one made for it, which goes once the Gateway names one.
        harness.Server.Create("gateway.networking.k8s.io/v1", "Gateway", "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "made" },
            ["spec"] = new JsonObject
            {
                ["gatewayClassName"] = "tollgate",
                ["listeners"] = new JsonArray(new JsonObject { ["name"] = "http", ["protocol"] = "HTTP", ["port"] = 80 }),
            },
        });
        await Wait.UntilAsync(() => harness.Exists(OperatorHarness.ApiVersion, "ApiGateway", "made"), "an ApiGateway is made for the Gateway");
        harness.Server.Patch("gateway.networking.k8s.io/v1", "Gateway", "default", "made", new JsonObject
        {
            ["spec"] = new JsonObject { ["infrastructure"] = new JsonObject { ["parametersRef"] = new JsonObject { ["group"] = "tollgate.dev", ["kind"] = "ApiGateway", ["name"] = "edge" } } },
        });
        await Wait.UntilAsync(() => !harness.Exists(OperatorHarness.ApiVersion, "ApiGateway", "made"), "the ApiGateway made for it is deleted");
        foreach (var (kind, ns) in new[] { ("GatewayClass", (string?)null), ("Gateway", "default"), ("HTTPRoute", "default") })
            await Wait.UntilAsync(() => harness.Server.List("gateway.networking.k8s.io/v1", kind, ns).All(o => o["status"] is JsonObject s && s.Count > 0),
                $"every {kind} has a status");

        // The gateway moves to another IngressClass: the one it kept before is deleted.
        harness.Server.Patch(OperatorHarness.ApiVersion, "ApiGateway", "default", "edge",
            new JsonObject { ["spec"] = new JsonObject { ["ingress"] = new JsonObject { ["className"] = "edge" } } });
        await Wait.UntilAsync(() => harness.Server.TryGet("networking.k8s.io/v1", "IngressClass", null, "tollgate") is null
                                    && harness.Server.TryGet("networking.k8s.io/v1", "IngressClass", null, "edge") is not null, "the gateway keeps only its new class");

        await op.StopAsync(); // hands the lease over: the leader-election Role's update

        var granted = Grants(OperatorManifests.ClusterRole().Rules).Concat(Grants(OperatorManifests.LeaderElectionRole().Rules)).ToHashSet();
        var used = harness.Server.Accesses.Select(a => (a.Verb, a.Group, a.Resource)).ToHashSet();
        Assert.True(used.SetEquals(granted),
            $"granted but never used: {string.Join(", ", granted.Except(used))}; used but not granted: {string.Join(", ", used.Except(granted))}");
        Assert.All(harness.Server.Accesses.Where(a => a.Resource == "leases"), a => Assert.Equal(OperatorHarness.OperatorNamespace, a.Namespace));
    }

    [Fact]
    public async Task A_call_outside_the_generated_roles_is_refused_with_403_as_a_real_server_refuses_it()
    {
        using var asOperator = harness.Cluster.NewClient(harness.OperatorToken);

        // Secrets are read by name only; listing them would expose every credential in the cluster.
        var listing = await Assert.ThrowsAsync<KubernetesApiException>(() => asOperator.ListAsync<V1Secret>("default"));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, listing.StatusCode);
        Assert.Contains("cannot list resource \"secrets\"", listing.Message);
        var escalating = await Assert.ThrowsAsync<KubernetesApiException>(() => asOperator.CreateAsync(new V1Role
        {
            Metadata = new() { Name = "anything", NamespaceProperty = "default" },
            Rules = [new() { ApiGroups = ["*"], Resources = ["*"], Verbs = ["*"] }],
        }));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, escalating.StatusCode);

        // What the roles grant goes through.
        Assert.Empty((await asOperator.ListAsync<V1Deployment>("default")).Items);
        Assert.Null(await asOperator.GetAsync<V1Secret>("absent", "default"));
    }
}
