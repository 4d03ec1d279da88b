using System.Text.Json.Nodes;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>
/// The operator as production runs it (GatewayOperator with its HTTP client and leader election) against
/// an in-memory API server; several can run at once, as replicas would.
/// </summary>
sealed class OperatorHarness : IAsyncDisposable
{
    public const string ApiVersion = "tollgate.dev/v1alpha1";
    readonly List<RunningOperator> running = [];

    OperatorHarness(TestCluster cluster) => Cluster = cluster;

    public TestCluster Cluster { get; }
    public KubeApiServer.KubeApiServer Server => Cluster.Server;
    public Kubelet Kubelet => new(Server);

    public static async Task<OperatorHarness> StartAsync() => new(await TestCluster.StartAsync());

    public RunningOperator StartOperator(string identity = "operator-0", LeaderElectionTimings? timings = null)
    {
        var client = Cluster.NewClient();
        var gatewayOperator = GatewayOperator.Create(client, new ConsoleLoggerFactory(LogLevel.Warning), new OperatorOptions
        {
            Namespace = "default",
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
