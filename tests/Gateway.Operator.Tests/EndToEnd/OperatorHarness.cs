using System.Text.Json.Nodes;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Manifests;
using Gateway.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>
/// The operator as production runs it (GatewayOperator with its HTTP client and leader election) against
/// an in-memory API server; several can run at once, as replicas would. The server checks every request: the
/// operator authenticates as its service account, which holds exactly the generated roles, so a call they do not
/// grant fails with 403 as on a real cluster.
/// </summary>
sealed class OperatorHarness : IAsyncDisposable
{
    public const string ApiVersion = "tollgate.dev/v1alpha1";

    /// <summary>Where the operator runs, its Lease and leader-election Role included.</summary>
    public const string OperatorNamespace = OperatorManifests.Namespace;

    readonly List<RunningOperator> running = [];

    OperatorHarness(TestCluster cluster, string operatorToken)
    {
        Cluster = cluster;
        OperatorToken = operatorToken;
    }

    public TestCluster Cluster { get; }
    public KubeApiServer.KubeApiServer Server => Cluster.Server;
    public Kubelet Kubelet => new(Server);

    /// <summary>The bearer token of the operator's service account.</summary>
    public string OperatorToken { get; }

    /// <summary>
    /// Starts the server over TLS (kubectl sends a token only over TLS) with the operator's RBAC installed, and turns
    /// authorization on.
    /// </summary>
    public static async Task<OperatorHarness> StartAsync()
    {
        var cluster = await TestCluster.StartAsync(tls: true);
        var server = cluster.Server;
        server.Create("v1", "Namespace", null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = OperatorNamespace } });
        Install(server, OperatorManifests.ServiceAccount());
        Install(server, OperatorManifests.ClusterRole());
        Install(server, OperatorManifests.ClusterRoleBinding());
        Install(server, OperatorManifests.LeaderElectionRole());
        Install(server, OperatorManifests.LeaderElectionRoleBinding());
        var token = server.IssueServiceAccountToken(OperatorNamespace, OperatorManifests.Name);
        server.Authorization = true;
        return new(cluster, token);
    }

    // The generated RBAC, as `kubectl apply -k config/default` installs it.
    static void Install<T>(KubeApiServer.KubeApiServer server, T obj) where T : IKubernetesObject<V1ObjectMeta>
    {
        EntityInfo.WithTypeMeta(obj);
        server.Create(obj.ApiVersion, obj.Kind, obj.Metadata.NamespaceProperty, ObjectJson.ToNode(obj));
    }

    public RunningOperator StartOperator(string identity = "operator-0", LeaderElectionTimings? timings = null)
    {
        var client = Cluster.NewClient(OperatorToken);
        var gatewayOperator = GatewayOperator.Create(client, new ConsoleLoggerFactory(LogLevel.Warning), new OperatorOptions
        {
            Namespace = OperatorNamespace,
            Identity = identity,
            Timings = timings ?? LeaderElectionTimings.Default,
        });
        var stop = new CancellationTokenSource();
        var operatorRun = new RunningOperator(identity, gatewayOperator, client, stop, gatewayOperator.RunAsync(stop.Token));
        running.Add(operatorRun);
        return operatorRun;
    }

    public JsonObject CreateGateway(string name, JsonObject? spec = null) =>
        Server.Create(ApiVersion, "ApiGateway", "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec ?? new JsonObject(),
        });

    public JsonObject Gateway(string name) => Server.Get(ApiVersion, "ApiGateway", "default", name);

    public JsonObject? Condition(string gateway, string type) =>
        Server.TryGet(ApiVersion, "ApiGateway", "default", gateway)?["status"]?["conditions"]?.AsArray()
            .FirstOrDefault(c => (string?)c!["type"] == type)?.AsObject();

    public string? ConditionStatus(string gateway, string type) => (string?)Condition(gateway, type)?["status"];

    public bool Exists(string apiVersion, string kind, string name) => Server.TryGet(apiVersion, kind, "default", name) is not null;

    /// <summary>
    /// Writes other than leader-election renewals, which a leader makes every retry period, as "METHOD path" lines, so
    /// that a comparison that fails names the unexpected write.
    /// </summary>
    public IReadOnlyList<string> WriteRequests() => Server.Requests
        .Where(r => r.IsWrite && !r.PathAndQuery.Contains("/leases/", StringComparison.Ordinal))
        .Select(r => $"{r.Method} {r.PathAndQuery}")
        .ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var operatorRun in running)
            await operatorRun.StopAsync();
        await Cluster.DisposeAsync();
    }
}

/// <summary>One operator process: stop it gracefully, or look at whether it leads.</summary>
sealed class RunningOperator(string identity, GatewayOperator gatewayOperator, KubernetesApi client, CancellationTokenSource stop, Task run)
{
    public string Identity => identity;
    public GatewayOperator Operator => gatewayOperator;
    public bool IsLeader => gatewayOperator.Elector.IsLeader;
    public int Processed => gatewayOperator.Host.Processed;

    /// <summary>Reconciles the gateway once more and waits for it, as a periodic resync would.</summary>
    public async Task ReconcileAgainAsync(string gateway)
    {
        var before = Processed;
        gatewayOperator.Host.Queue.Add($"default/{gateway}");
        await Wait.UntilAsync(() => Processed > before && gatewayOperator.Host.InFlight == 0 && gatewayOperator.Host.Queue.Length == 0, "the reconcile finished");
    }

    public async Task StopAsync()
    {
        if (stop.IsCancellationRequested)
            return;
        await stop.CancelAsync();
        await run;
        client.Dispose();
        stop.Dispose();
    }
}
