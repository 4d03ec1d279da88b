using System.Diagnostics;
using System.Text.Json.Nodes;
using Gateway.Operator.Builders;
using Gateway.Operator.Entities;
using Gateway.Operator.Tests.Kubectl;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>The operator, running as in production, takes an ApiGateway through its life on the in-memory API server.</summary>
public sealed class GatewayLifecycleTests : IAsyncLifetime
{
    OperatorHarness harness = null!;
    RunningOperator op = null!;

    public async Task InitializeAsync()
    {
        harness = await OperatorHarness.StartAsync();
        op = harness.StartOperator();
        await Wait.UntilAsync(() => op.IsLeader && op.Operator.Runtime.IsReady, "the operator leads with synced caches");
    }

    public async Task DisposeAsync() => await harness.DisposeAsync();

    static string MigrationJob(string version = "0.1.0") =>
        GatewayNames.MigrationJob(new ApiGateway { Metadata = new() { Name = "edge" }, Spec = new() { Version = version } });

    static readonly (string ApiVersion, string Kind, string Name)[] FirstChildren =
    [
        ("v1", "ServiceAccount", "edge-proxy"), ("v1", "Secret", "edge-admin-token"),
        ("v1", "Secret", "edge-postgres"), ("networking.k8s.io/v1", "NetworkPolicy", "edge-postgres"), ("v1", "Service", "edge-postgres"),
        ("apps/v1", "StatefulSet", "edge-postgres"), ("v1", "Secret", "edge-redis"), ("networking.k8s.io/v1", "NetworkPolicy", "edge-redis"),
        ("apps/v1", "Deployment", "edge-redis"), ("v1", "Service", "edge-redis"), ("v1", "Service", "edge-proxy"),
        ("v1", "Service", "edge-admin"), ("policy/v1", "PodDisruptionBudget", "edge-proxy"),
    ];

    async Task BecomeReadyAsync(string name = "edge")
    {
        var kubelet = harness.Kubelet;
        await Wait.UntilAsync(() => harness.Exists("apps/v1", "StatefulSet", $"{name}-postgres"), "the StatefulSet exists");
        kubelet.StatefulSetReady($"{name}-postgres");
        await Wait.UntilAsync(() => harness.Server.List("batch/v1", "Job", "default").Count > 0, "the migration Job exists");
        kubelet.JobSucceeded((string)harness.Server.List("batch/v1", "Job", "default")[0]["metadata"]!["name"]!);
        await Wait.UntilAsync(() => harness.Exists("apps/v1", "Deployment", $"{name}-proxy"), "the proxy Deployment exists");
        kubelet.DeploymentAvailable($"{name}-redis");
        kubelet.DeploymentAvailable($"{name}-proxy");
        await Wait.UntilAsync(() => harness.ConditionStatus(name, "Ready") == "True", "the gateway is Ready");
        // The reconcile that made the gateway Ready records the transition as an Event once the status is written.
        await Wait.UntilAsync(() => harness.Server.List("v1", "Event", "default")
            .Any(e => (string?)e["reason"] == "Ready" && (string?)e["involvedObject"]?["name"] == name), "the Ready event is recorded");
    }

    [Fact]
    public async Task A_new_gateway_becomes_ready_as_its_workloads_do_and_an_idle_reconcile_writes_nothing()
    {
        var started = Stopwatch.StartNew();
        harness.CreateGateway("edge");
        await Wait.UntilAsync(() => FirstChildren.All(c => harness.Exists(c.ApiVersion, c.Kind, c.Name)), "every child that does not wait for a workload exists");
        var firstWave = started.Elapsed;

        Assert.False(harness.Exists("batch/v1", "Job", MigrationJob()), "migrations wait for the database");
        Assert.False(harness.Exists("apps/v1", "Deployment", "edge-proxy"), "proxies wait for migrations");
        Assert.False(harness.Exists("rbac.authorization.k8s.io/v1", "RoleBinding", "edge-proxy"), "the pods are bound to no Role");
        await Wait.UntilAsync(() => (string?)harness.Condition("edge", "Ready")?["reason"] == "WaitingForDatabase", "the status says what it waits for");
        Assert.Equal("True", harness.ConditionStatus("edge", "Reconciling"));

        await BecomeReadyAsync();
        var gateway = harness.Gateway("edge");
        Assert.Equal(1, (long)gateway["status"]!["observedGeneration"]!);
        Assert.Equal("2/2", (string?)gateway["status"]!["proxies"]);
        foreach (var component in new[] { "DatabaseReady", "MigrationsComplete", "RedisReady", "ProxyAvailable" })
            Assert.Equal("True", harness.ConditionStatus("edge", component));
        Assert.Null(harness.Condition("edge", "Reconciling"));
        Assert.Null(harness.Condition("edge", "Stalled"));
        foreach (var guarded in new[] { "edge-postgres", "edge-redis", "edge-proxy" })
            Assert.True(harness.Exists("networking.k8s.io/v1", "NetworkPolicy", guarded), $"the NetworkPolicy {guarded} exists");
        Figures.Record("ApiGateway created -> first children written (kubelet idle)", firstWave);

        var writes = harness.WriteRequests();
        await op.ReconcileAgainAsync("edge");
        await op.ReconcileAgainAsync("edge");
        Assert.Equal(writes, harness.WriteRequests());

        // The cloud assigns the load balancer an address; kubectl shows it with the other columns.
        harness.Server.Patch("v1", "Service", "default", "edge-proxy", new JsonObject
        {
            ["status"] = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = "203.0.113.10" }) } },
        }, status: true);
        await Wait.UntilAsync(() => (string?)harness.Gateway("edge")["status"]!["endpoint"] == "203.0.113.10:80", "the endpoint is reported");
        using var kubectl = new KubectlRunner(harness.Server, harness.Server.AdminToken);
        var table = await kubectl.SucceedAsync("get", "agw");
        Assert.Matches(@"(?m)^NAME\s+READY\s+STATUS\s+PROXIES\s+ENDPOINT\s+CONFIGURATION\s+AGE\s*$", table);
        // No endpoints controller runs here, so no proxy is listed in the admin EndpointSlices to sync to.
        Assert.Matches(@"(?m)^edge\s+True\s+2 of 2 proxies ready\s+2/2\s+203\.0\.113\.10:80\s+NotApplied\s+\d+s\s*$", table);
    }

    [Fact]
    public async Task Scaling_changes_the_proxy_deployment_and_the_status_follows()
    {
        harness.CreateGateway("edge");
        await BecomeReadyAsync();

        harness.Server.Patch(OperatorHarness.ApiVersion, "ApiGateway", "default", "edge", new JsonObject { ["spec"] = new JsonObject { ["proxy"] = new JsonObject { ["replicas"] = 4 } } });

        await Wait.UntilAsync(() => (int?)harness.Server.Get("apps/v1", "Deployment", "default", "edge-proxy")["spec"]!["replicas"] == 4, "the Deployment is scaled");
        await Wait.UntilAsync(() => (string?)harness.Condition("edge", "Ready")?["reason"] == "RollingOut", "the status shows the rollout");
        Assert.Equal("2/4", (string?)harness.Gateway("edge")["status"]!["proxies"]);
        Assert.Equal(2, (long)harness.Gateway("edge")["status"]!["observedGeneration"]!);

        harness.Kubelet.DeploymentAvailable("edge-proxy");
        await Wait.UntilAsync(() => harness.ConditionStatus("edge", "Ready") == "True", "Ready again");
        Assert.Equal("4/4", (string?)harness.Gateway("edge")["status"]!["proxies"]);
    }

    [Fact]
    public async Task An_upgrade_runs_the_new_migration_job_before_any_proxy_changes()
    {
        harness.CreateGateway("edge");
        await BecomeReadyAsync();
        string ProxyImage() => (string)harness.Server.Get("apps/v1", "Deployment", "default", "edge-proxy")["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!;

        harness.Server.Patch(OperatorHarness.ApiVersion, "ApiGateway", "default", "edge", new JsonObject { ["spec"] = new JsonObject { ["version"] = "0.2.0" } });

        await Wait.UntilAsync(() => harness.Exists("batch/v1", "Job", MigrationJob("0.2.0")), "the new migration Job exists");
        await Wait.UntilAsync(() => (string?)harness.Condition("edge", "MigrationsComplete")?["reason"] == "Migrating", "the status shows the migration");
        await op.ReconcileAgainAsync("edge");
        Assert.Equal("ghcr.io/tollgate/gateway:0.1.0", ProxyImage());
        Assert.Equal("WaitingForMigrations", (string?)harness.Condition("edge", "ProxyAvailable")!["reason"]);

        harness.Kubelet.JobSucceeded(MigrationJob("0.2.0"));
        await Wait.UntilAsync(() => ProxyImage() == "ghcr.io/tollgate/gateway:0.2.0", "the proxies roll to the new image");
        harness.Kubelet.DeploymentAvailable("edge-proxy");
        await Wait.UntilAsync(() => harness.ConditionStatus("edge", "Ready") == "True", "Ready on the new version");
        Assert.Equal("0.2.0", (string?)harness.Gateway("edge")["status"]!["version"]);
        await Wait.UntilAsync(() => !harness.Exists("batch/v1", "Job", MigrationJob("0.1.0")), "the superseded Job is removed");
    }

    [Fact]
    public async Task A_deleted_or_edited_child_is_restored()
    {
        harness.CreateGateway("edge");
        await BecomeReadyAsync();
        var tokenBefore = harness.Server.Get("v1", "Secret", "default", "edge-admin-token")["data"]!["token"]!.ToString();

        var redisPassword = harness.Server.Get("v1", "Secret", "default", "edge-redis")["data"]!["password"]!.ToString();
        harness.Server.Delete("v1", "Service", "default", "edge-admin");
        harness.Server.Delete("apps/v1", "Deployment", "default", "edge-redis");
        harness.Server.Delete("networking.k8s.io/v1", "NetworkPolicy", "default", "edge-postgres");
        harness.Server.Patch("networking.k8s.io/v1", "NetworkPolicy", "default", "edge-redis", new JsonObject
        {
            ["spec"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject()) }, // "allow everything"
        });
        harness.Server.Patch("apps/v1", "Deployment", "default", "edge-proxy", new JsonObject
        {
            ["spec"] = new JsonObject { ["replicas"] = 9, ["template"] = new JsonObject { ["spec"] = new JsonObject { ["serviceAccountName"] = "default" } } },
        });

        await Wait.UntilAsync(() => harness.Exists("v1", "Service", "edge-admin"), "the admin Service is recreated");
        await Wait.UntilAsync(() => harness.Exists("apps/v1", "Deployment", "edge-redis"), "the Redis Deployment is recreated");
        await Wait.UntilAsync(() => harness.Exists("networking.k8s.io/v1", "NetworkPolicy", "edge-postgres"), "the Postgres NetworkPolicy is recreated");
        await Wait.UntilAsync(() => harness.Server.Get("networking.k8s.io/v1", "NetworkPolicy", "default", "edge-redis")["spec"]!["ingress"]![0]!["from"] is not null,
            "the Redis NetworkPolicy admits only the proxies again");
        await Wait.UntilAsync(() =>
        {
            var proxy = harness.Server.Get("apps/v1", "Deployment", "default", "edge-proxy");
            return (int?)proxy["spec"]!["replicas"] == 2 && (string?)proxy["spec"]!["template"]!["spec"]!["serviceAccountName"] == "edge-proxy";
        }, "the proxy Deployment is repaired");
        Assert.Equal(tokenBefore, harness.Server.Get("v1", "Secret", "default", "edge-admin-token")["data"]!["token"]!.ToString());
        Assert.Equal(redisPassword, harness.Server.Get("v1", "Secret", "default", "edge-redis")["data"]!["password"]!.ToString());
    }

    [Fact]
    public async Task An_annotation_removed_from_the_spec_disappears_from_the_service_and_other_managers_keep_theirs()
    {
        harness.CreateGateway("edge", new JsonObject
        {
            ["proxy"] = new JsonObject { ["service"] = new JsonObject { ["annotations"] = new JsonObject { ["team"] = "shop", ["cost-center"] = "42" } } },
        });
        await Wait.UntilAsync(() => Annotations("edge-proxy")?["cost-center"] is not null, "the Service carries the spec's annotations");
        // A cloud controller notes what it did on the same Service, through the API, as its own field manager.
        await harness.Cluster.Client.PatchAsync<V1Service>("edge-proxy", "default",
            new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["cloud.example/lb-id"] = "lb-7" } } });

        harness.Server.Patch(OperatorHarness.ApiVersion, "ApiGateway", "default", "edge", new JsonObject
        {
            ["spec"] = new JsonObject { ["proxy"] = new JsonObject { ["service"] = new JsonObject { ["annotations"] = new JsonObject { ["cost-center"] = null } } } },
        });

        await Wait.UntilAsync(() => Annotations("edge-proxy")?["cost-center"] is null, "the removed annotation is gone from the Service");
        Assert.Equal("shop", (string?)Annotations("edge-proxy")!["team"]);
        Assert.Equal("lb-7", (string?)Annotations("edge-proxy")!["cloud.example/lb-id"]);
    }

    JsonObject? Annotations(string service) => harness.Server.TryGet("v1", "Service", "default", service)?["metadata"]?["annotations"]?.AsObject();

    [Fact]
    public async Task Resources_in_any_spelling_are_written_as_the_server_stores_them_and_an_idle_reconcile_writes_nothing()
    {
        harness.CreateGateway("edge", new JsonObject
        {
            ["proxy"] = new JsonObject
            {
                ["resources"] = new JsonObject
                {
                    ["requests"] = new JsonObject { ["cpu"] = "1000m", ["memory"] = "1024Mi" },
                    ["limits"] = new JsonObject { ["memory"] = "2048Mi" },
                },
            },
        });
        await BecomeReadyAsync();

        var resources = harness.Server.Get("apps/v1", "Deployment", "default", "edge-proxy")["spec"]!["template"]!["spec"]!["containers"]![0]!["resources"]!;
        Assert.Equal(("1", "1Gi", "2Gi"), ((string?)resources["requests"]!["cpu"], (string?)resources["requests"]!["memory"], (string?)resources["limits"]!["memory"]));
        var writes = harness.WriteRequests();
        await op.ReconcileAgainAsync("edge");
        await op.ReconcileAgainAsync("edge");
        Assert.Equal(writes, harness.WriteRequests());
    }

    [Fact]
    public async Task A_gateway_keeps_its_ingress_class_which_a_second_gateway_cannot_take_until_the_first_is_gone()
    {
        harness.CreateGateway("edge");
        await BecomeReadyAsync();
        var ingressClass = harness.Server.Get("networking.k8s.io/v1", "IngressClass", null, "tollgate");
        Assert.Equal("tollgate.dev/ingress-controller", (string?)ingressClass["spec"]!["controller"]);
        Assert.Equal(("ApiGateway", "default", "edge"), ((string?)ingressClass["spec"]!["parameters"]!["kind"],
            (string?)ingressClass["spec"]!["parameters"]!["namespace"], (string?)ingressClass["spec"]!["parameters"]!["name"]));

        harness.CreateGateway("second");
        await Wait.UntilAsync(() => (string?)harness.Condition("second", "Stalled")?["reason"] == "IngressClassTaken", "the second gateway is stalled");
        Assert.Equal("IngressClass tollgate is served by ApiGateway default/edge; choose another spec.ingress.className",
            (string?)harness.Condition("second", "Stalled")!["message"]);
        Assert.Equal("True", harness.ConditionStatus("edge", "Ready"));

        harness.Server.Delete(OperatorHarness.ApiVersion, "ApiGateway", "default", "edge");
        // The class goes with its gateway; the second may take it at once (any reconcile of it rechecks the class).
        await Wait.UntilAsync(() => (string?)harness.Server.TryGet("networking.k8s.io/v1", "IngressClass", null, "tollgate")?["spec"]?["parameters"]?["name"] != "edge",
            "the class goes with its gateway");
        await op.ReconcileAgainAsync("second"); // the recheck a stalled gateway gets every 30 s
        await Wait.UntilAsync(() => (string?)harness.Server.TryGet("networking.k8s.io/v1", "IngressClass", null, "tollgate")?["spec"]?["parameters"]?["name"] == "second",
            "the second gateway takes the class");
    }

    [Fact]
    public async Task A_class_another_controller_holds_is_refused_with_its_controller_named()
    {
        harness.Server.Create("networking.k8s.io/v1", "IngressClass", null, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "nginx" },
            ["spec"] = new JsonObject { ["controller"] = "k8s.io/ingress-nginx" },
        });

        harness.CreateGateway("edge", new JsonObject { ["ingress"] = new JsonObject { ["className"] = "nginx" } });

        await Wait.UntilAsync(() => (string?)harness.Condition("edge", "Stalled")?["reason"] == "IngressClassTaken", "the gateway is stalled");
        Assert.Equal("IngressClass nginx belongs to controller k8s.io/ingress-nginx; choose another spec.ingress.className",
            (string?)harness.Condition("edge", "Stalled")!["message"]);
        Assert.Equal("k8s.io/ingress-nginx", (string?)harness.Server.Get("networking.k8s.io/v1", "IngressClass", null, "nginx")["spec"]!["controller"]);
    }

    [Fact]
    public async Task A_change_the_api_server_refuses_stalls_the_gateway_with_its_message()
    {
        harness.CreateGateway("edge");
        await BecomeReadyAsync();

        harness.Server.Patch(OperatorHarness.ApiVersion, "ApiGateway", "default", "edge", new JsonObject { ["spec"] = new JsonObject { ["database"] = new JsonObject { ["managed"] = new JsonObject { ["storageSize"] = "50Gi" } } } });

        await Wait.UntilAsync(() => harness.ConditionStatus("edge", "Stalled") == "True", "the gateway is Stalled");
        var stalled = harness.Condition("edge", "Stalled")!;
        Assert.Equal("ChangeRefused", (string?)stalled["reason"]);
        Assert.Contains("updates to statefulset spec for fields other than", (string?)stalled["message"]);
        Assert.Equal("1Gi", (string?)harness.Server.Get("apps/v1", "StatefulSet", "default", "edge-postgres")["spec"]!["volumeClaimTemplates"]![0]!["spec"]!["resources"]!["requests"]!["storage"]);
    }

    [Fact]
    public async Task A_status_write_that_conflicts_is_retried_until_it_lands()
    {
        harness.CreateGateway("edge");
        await BecomeReadyAsync();
        harness.Server.FailNextWrites("apigateways", "PUT", count: 3);

        harness.Server.Patch(OperatorHarness.ApiVersion, "ApiGateway", "default", "edge", new JsonObject { ["spec"] = new JsonObject { ["proxy"] = new JsonObject { ["replicas"] = 3 } } });

        await Wait.UntilAsync(() => (long?)harness.Gateway("edge")["status"]?["observedGeneration"] == 2, "the status of generation 2 is written");
        var statusWrites = harness.Server.Requests.Count(r => r.Method == "PUT" && r.PathAndQuery.EndsWith("/apigateways/edge/status", StringComparison.Ordinal));
        Assert.True(statusWrites >= 4, $"expected the 3 refused status writes to be retried, saw {statusWrites} status writes");
    }

    [Fact]
    public async Task A_failed_migration_stalls_the_gateway_with_the_jobs_reason()
    {
        harness.CreateGateway("edge");
        await Wait.UntilAsync(() => harness.Exists("apps/v1", "StatefulSet", "edge-postgres"), "the StatefulSet exists");
        harness.Kubelet.StatefulSetReady("edge-postgres");
        await Wait.UntilAsync(() => harness.Exists("batch/v1", "Job", MigrationJob()), "the migration Job exists");

        harness.Kubelet.JobFailed(MigrationJob(), "BackoffLimitExceeded", "Job has reached the specified backoff limit");

        await Wait.UntilAsync(() => harness.ConditionStatus("edge", "Stalled") == "True", "the gateway is Stalled");
        var stalled = harness.Condition("edge", "Stalled")!;
        Assert.Equal("BackoffLimitExceeded", (string?)stalled["reason"]);
        Assert.Contains("Job has reached the specified backoff limit", (string?)stalled["message"]);
        Assert.Equal("False", harness.ConditionStatus("edge", "Ready"));
        Assert.False(harness.Exists("apps/v1", "Deployment", "edge-proxy"));
        await Wait.UntilAsync(() => harness.Server.List("v1", "Event", "default").Any(e => (string?)e["reason"] == "BackoffLimitExceeded"), "a warning event is recorded");
    }

    [Fact]
    public async Task An_invalid_gateway_is_stalled_and_an_event_names_the_field()
    {
        harness.CreateGateway("edge", new JsonObject { ["redis"] = new JsonObject { ["mode"] = "External" } });

        await Wait.UntilAsync(() => harness.ConditionStatus("edge", "Stalled") == "True", "the gateway is Stalled");
        Assert.Equal("InvalidSpec", (string?)harness.Condition("edge", "Stalled")!["reason"]);
        Assert.StartsWith("spec.redis.external: required when spec.redis.mode is External", (string?)harness.Condition("edge", "Ready")!["message"]);
        await Wait.UntilAsync(() => harness.Server.List("v1", "Event", "default").Any(e => (string?)e["reason"] == "InvalidSpec"), "an event is recorded");
        var warning = harness.Server.List("v1", "Event", "default").Single(e => (string?)e["reason"] == "InvalidSpec");
        Assert.Equal("Warning", (string?)warning["type"]);
        Assert.Contains("spec.redis.external", (string?)warning["message"]);
        Assert.False(harness.Exists("v1", "ServiceAccount", "edge-proxy"));

        harness.Server.Patch(OperatorHarness.ApiVersion, "ApiGateway", "default", "edge", new JsonObject { ["spec"] = new JsonObject { ["redis"] = new JsonObject { ["mode"] = "Disabled" } } });
        await Wait.UntilAsync(() => harness.Condition("edge", "Stalled") is null && harness.ConditionStatus("edge", "Reconciling") == "True", "fixing the spec clears Stalled");
        Assert.False(harness.Exists("apps/v1", "Deployment", "edge-redis"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Deleting_the_gateway_removes_everything_it_owns_and_the_database_volume_only_when_asked(bool deleteVolume)
    {
        harness.CreateGateway("edge", new JsonObject { ["database"] = new JsonObject { ["managed"] = new JsonObject { ["deleteVolumeOnDelete"] = deleteVolume } } });
        await BecomeReadyAsync();
        // No finalizer: the StatefulSet's claim retention policy decides, so deletion never waits for the operator.
        Assert.Null(harness.Gateway("edge")["metadata"]!["finalizers"]);
        harness.Kubelet.CreateClaims("edge-postgres");
        Assert.True(harness.Exists("v1", "PersistentVolumeClaim", "data-edge-postgres-0"));

        harness.Server.Delete(OperatorHarness.ApiVersion, "ApiGateway", "default", "edge");

        await Wait.UntilAsync(() => harness.Server.TryGet(OperatorHarness.ApiVersion, "ApiGateway", "default", "edge") is null, "the gateway is gone");
        Assert.Equal(!deleteVolume, harness.Exists("v1", "PersistentVolumeClaim", "data-edge-postgres-0"));
        foreach (var (apiVersion, kind, name) in FirstChildren.Append(("apps/v1", "Deployment", "edge-proxy")).Append(("batch/v1", "Job", MigrationJob()))
                     .Append(("networking.k8s.io/v1", "NetworkPolicy", "edge-proxy")))
            Assert.False(harness.Exists(apiVersion, kind, name), $"{kind} {name} should be gone");
    }
}
