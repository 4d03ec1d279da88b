using Gateway.Operator.Runtime;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>Operator processes that restart or run side by side.</summary>
public sealed class OperatorReplicaTests : IAsyncLifetime
{
    OperatorHarness harness = null!;
    readonly CancellationTokenSource kubeletStop = new();

    public async Task InitializeAsync() => harness = await OperatorHarness.StartAsync();

    public async Task DisposeAsync()
    {
        await kubeletStop.CancelAsync();
        await harness.DisposeAsync();
    }

    string SecretValue(string name, string key) => harness.Server.Get("v1", "Secret", "default", name)["data"]![key]!.ToString();

    [Fact]
    public async Task An_operator_restarted_in_the_middle_of_a_reconcile_converges_without_rotating_credentials()
    {
        var first = harness.StartOperator("operator-a");
        await Wait.UntilAsync(() => first.IsLeader, "the first operator leads");
        // The API server refuses StatefulSets for now: the first reconciles stop half way, after the credentials.
        harness.Server.FailNextWrites("statefulsets", "PATCH", count: 1000, code: 500);
        harness.CreateGateway("edge");
        await Wait.UntilAsync(() => harness.Server.Requests.Count(r => r.Method == "PATCH" && r.PathAndQuery.Contains("/statefulsets")) >= 2, "the reconcile failed half way and was retried");
        Assert.False(harness.Exists("apps/v1", "StatefulSet", "edge-postgres"));
        var token = SecretValue("edge-admin-token", "token");
        var password = SecretValue("edge-postgres", "password");

        await first.StopAsync();
        harness.Server.FailNextWrites("statefulsets", "PATCH", count: 0);
        var second = harness.StartOperator("operator-b");
        _ = harness.Kubelet.RunAsync(kubeletStop.Token);

        await Wait.UntilAsync(() => harness.ConditionStatus("edge", "Ready") == "True", "the gateway is Ready under the second operator", seconds: 20);
        Assert.True(second.IsLeader);
        Assert.Equal(token, SecretValue("edge-admin-token", "token"));
        Assert.Equal(password, SecretValue("edge-postgres", "password"));
        Assert.Single(harness.Server.List("batch/v1", "Job", "default"));
        Assert.Equal(["edge-admin-token", "edge-postgres", "edge-redis"], harness.Server.List("v1", "Secret", "default").Select(s => (string?)s["metadata"]!["name"]).Order());
    }

    [Fact]
    public async Task Of_two_operators_exactly_one_reconciles_and_the_other_takes_over_when_it_stops()
    {
        var a = harness.StartOperator("operator-a");
        var b = harness.StartOperator("operator-b");
        await Wait.UntilAsync(() => a.IsLeader || b.IsLeader, "one operator leads");
        _ = harness.Kubelet.RunAsync(kubeletStop.Token);
        harness.CreateGateway("edge");
        await Wait.UntilAsync(() => harness.ConditionStatus("edge", "Ready") == "True", "the gateway is Ready");

        var (leader, follower) = a.IsLeader ? (a, b) : (b, a);
        Assert.False(follower.IsLeader);
        Assert.Equal(0, follower.Processed);
        Assert.True(leader.Processed > 0);
        var lease = await harness.Cluster.Client.GetAsync<V1Lease>("tollgate-operator", OperatorHarness.OperatorNamespace);
        Assert.Equal(leader.Identity, lease!.Spec.HolderIdentity);

        await leader.StopAsync();
        await Wait.UntilAsync(() => follower.IsLeader, "the follower takes over the released lease");
        harness.Server.Patch(OperatorHarness.ApiVersion, "ApiGateway", "default", "edge",
            new System.Text.Json.Nodes.JsonObject { ["spec"] = new System.Text.Json.Nodes.JsonObject { ["proxy"] = new System.Text.Json.Nodes.JsonObject { ["replicas"] = 5 } } });
        await Wait.UntilAsync(() => (int?)harness.Server.Get("apps/v1", "Deployment", "default", "edge-proxy")["spec"]!["replicas"] == 5, "the new leader reconciles");
        await Wait.UntilAsync(() => follower.Processed > 0, "the new leader counts its reconciles");
    }

    [Fact]
    public async Task A_leader_that_loses_its_lease_stops_reconciling()
    {
        var shortLease = new LeaderElectionTimings(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200));
        var op = harness.StartOperator("operator-a", shortLease);
        await Wait.UntilAsync(() => op.IsLeader && op.Operator.Runtime.IsReady, "the operator leads with synced caches");

        // Another holder takes the lease for an hour (a partition healed the wrong way): renewals fail from now on.
        harness.Server.Patch("coordination.k8s.io/v1", "Lease", OperatorHarness.OperatorNamespace, "tollgate-operator", new System.Text.Json.Nodes.JsonObject
        {
            ["spec"] = new System.Text.Json.Nodes.JsonObject
            {
                ["holderIdentity"] = "operator-b",
                ["leaseDurationSeconds"] = 3600,
                ["renewTime"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'"),
            },
        });
        await Wait.UntilAsync(() => !op.IsLeader, "the operator steps down once its renew deadline has passed");

        // It keeps campaigning, and a gateway created meanwhile is left to the leader it is not.
        harness.CreateGateway("edge");
        var leaseReads = LeaseReads();
        await Wait.UntilAsync(() => LeaseReads() >= leaseReads + 3, "the operator campaigns again");
        Assert.False(op.IsLeader);
        Assert.False(harness.Exists("v1", "ServiceAccount", "edge-proxy"));
        Assert.Null(harness.Gateway("edge")["status"]);
    }

    int LeaseReads() => harness.Server.Requests.Count(r => r.Method == "GET" && r.PathAndQuery.Contains("/leases/tollgate-operator", StringComparison.Ordinal));

    [Fact]
    public async Task An_ingress_class_left_by_a_gateway_deleted_while_no_operator_ran_is_removed_at_the_next_start()
    {
        var first = harness.StartOperator("operator-a");
        await Wait.UntilAsync(() => first.IsLeader && first.Operator.Runtime.IsReady, "the first operator leads");
        harness.CreateGateway("edge");
        await Wait.UntilAsync(() => harness.Server.TryGet("networking.k8s.io/v1", "IngressClass", null, "tollgate") is not null, "the class is kept");
        await first.StopAsync();

        // The garbage collector removes the namespaced children; nothing removes a cluster-scoped class.
        harness.Server.Delete(OperatorHarness.ApiVersion, "ApiGateway", "default", "edge");
        Assert.NotNull(harness.Server.TryGet("networking.k8s.io/v1", "IngressClass", null, "tollgate"));

        var second = harness.StartOperator("operator-b");
        await Wait.UntilAsync(() => harness.Server.TryGet("networking.k8s.io/v1", "IngressClass", null, "tollgate") is null, "the orphaned class is removed");
        Assert.True(second.IsLeader);
    }
}
