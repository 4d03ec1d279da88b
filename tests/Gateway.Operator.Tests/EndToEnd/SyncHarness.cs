using System.Text.Json.Nodes;
using Gateway.Operator.Tests.Kubectl;
using Gateway.TestSupport;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>
/// Everything a configuration sync runs against: the in-memory API server with the operator's RBAC, the operator as
/// production runs it, an ApiGateway "edge" whose admin EndpointSlice lists a fleet of real proxies, echo upstreams
/// as the pods of Services, and the real kubectl as the cluster's administrator.
/// </summary>
sealed class SyncHarness : IAsyncDisposable
{
    public const string Gateway = "edge";
    const string TokenSecret = "edge-admin";
    const string TlsSecret = "edge-tls";

    readonly List<EchoUpstream> upstreams = [];
    int files;

    SyncHarness(OperatorHarness cluster, ProxyFleet fleet, KubectlRunner kubectl)
    {
        Cluster = cluster;
        Fleet = fleet;
        Kubectl = kubectl;
    }

    public OperatorHarness Cluster { get; }
    public KubeApiServer.KubeApiServer Server => Cluster.Server;
    public ProxyFleet Fleet { get; }
    public KubectlRunner Kubectl { get; }
    public RunningOperator? Operator { get; private set; }

    /// <summary>PEM of the certificate in the gateway's proxy.tls Secret, when it has one.</summary>
    public string? ProxyTlsCertificate { get; private set; }

    /// <summary>
    /// With <paramref name="proxyTls"/> the gateway has a TLS listener (spec.proxy.tls) whose Secret holds
    /// <see cref="ProxyTlsCertificate"/>, the certificate each proxy serves when no SNI of the configuration matches.
    /// </summary>
    public static async Task<SyncHarness> StartAsync(int proxies = 2, bool startOperator = true, string className = "tollgate",
        bool proxyProcesses = false, bool gatewayApi = false, bool proxyTls = false)
    {
        var token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var cluster = await OperatorHarness.StartAsync();
        if (gatewayApi)
            GatewayApi.GatewayApiCrds.Install(cluster.Server);
        (string Cert, string Key)? tls = proxyTls ? Kubernetes.TestCertificates.SelfSigned("edge.tollgate.test", "edge.tollgate.test") : null;
        var fleet = await ProxyFleet.StartAsync(proxies, token, proxyProcesses, tls);
        var harness = new SyncHarness(cluster, fleet, new KubectlRunner(cluster.Server, cluster.Server.AdminToken));
        var server = cluster.Server;
        server.Create("v1", "Secret", "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = TokenSecret },
            ["stringData"] = new JsonObject { ["token"] = token },
        });
        var spec = new JsonObject
        {
            ["adminTokenSecretRef"] = new JsonObject { ["name"] = TokenSecret },
            ["ingress"] = new JsonObject { ["className"] = className },
        };
        if (tls is { } pem)
        {
            harness.ProxyTlsCertificate = pem.Cert;
            server.Create("v1", "Secret", "default", new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = TlsSecret },
                ["type"] = "kubernetes.io/tls",
                ["stringData"] = new JsonObject { ["tls.crt"] = pem.Cert, ["tls.key"] = pem.Key },
            });
            spec["proxy"] = new JsonObject { ["tls"] = new JsonObject { ["secretName"] = TlsSecret } };
        }
        cluster.CreateGateway(Gateway, spec);
        harness.AdminEndpoints(fleet.AdminAddresses.Select(a => a.ToString()));
        if (startOperator)
            harness.StartOperator();
        return harness;
    }

    public RunningOperator StartOperator() => Operator = Cluster.StartOperator();

    /// <summary>The EndpointSlice of the gateway's admin Service, as the endpoints controller writes it for ready pods.</summary>
    public void AdminEndpoints(IEnumerable<string> addresses) =>
        Slice($"{Gateway}-admin", $"{Gateway}-admin-x7k2p", "admin", Fleet.AdminPort, addresses);

    /// <summary>A Service named <paramref name="name"/> on <paramref name="port"/> whose pods are echo upstreams.</summary>
    public async Task<IReadOnlyList<EchoUpstream>> ServiceAsync(string name, int port, int pods = 1, string ns = "default")
    {
        var started = new List<EchoUpstream>();
        for (var i = 0; i < pods; i++)
            started.Add(await EchoUpstream.StartAsync($"{name}-{i}"));
        upstreams.AddRange(started);
        Server.Create("v1", "Service", ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["app"] = name },
                ["ports"] = new JsonArray(new JsonObject { ["port"] = port, ["targetPort"] = port }),
            },
        });
        // Pods on one node share an address, so each echo pod gets its own slice with its own port.
        for (var i = 0; i < started.Count; i++)
            Slice(name, $"{name}-pod{i}", null, started[i].Port, ["127.0.0.1"], ns);
        return started;
    }

    /// <summary>
    /// The documents of a sample in config/samples except its ApiGateways, Deployments and Services: the harness's
    /// gateway "edge" and echo pods stand in for those.
    /// </summary>
    public static string SampleResources(string file)
    {
        var documents = File.ReadAllText(RepositoryRoot.Combine("config", "samples", file)).Split("\n---\n");
        return string.Join("\n---\n", documents.Where(d => !d.Contains("\nkind: ApiGateway") && !d.Contains("\nkind: Deployment") && !d.Contains("\nkind: Service\n")));
    }

    /// <summary>Writes (or rewrites) an EndpointSlice of <paramref name="service"/>.</summary>
    public void Slice(string service, string name, string? portName, int port, IEnumerable<string> addresses, string ns = "default", bool terminating = false)
    {
        var slice = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = service } },
            ["addressType"] = "IPv4",
            ["ports"] = new JsonArray(portName is null ? new JsonObject { ["port"] = port } : new JsonObject { ["name"] = portName, ["port"] = port }),
            ["endpoints"] = new JsonArray([.. addresses.Select(a => (JsonNode)new JsonObject
            {
                ["addresses"] = new JsonArray(a),
                // A pod being deleted stays listed while it drains: not ready, still serving, terminating.
                ["conditions"] = new JsonObject { ["ready"] = !terminating, ["serving"] = true, ["terminating"] = terminating },
            })]),
        };
        if (Server.TryGet("discovery.k8s.io/v1", "EndpointSlice", ns, name) is not null)
            Server.Delete("discovery.k8s.io/v1", "EndpointSlice", ns, name);
        Server.Create("discovery.k8s.io/v1", "EndpointSlice", ns, slice);
    }

    /// <summary><c>kubectl apply -f</c> of <paramref name="yaml"/>; returns what kubectl printed.</summary>
    public async Task<string> ApplyAsync(string yaml)
    {
        var file = Path.Combine(Path.GetTempPath(), $"tollgate-sync-{Environment.ProcessId}-{GetHashCode()}-{Interlocked.Increment(ref files)}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            return await Kubectl.SucceedAsync("apply", "-f", file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A GatewayClass of our controller whose parametersRef names the harness's gateway, applied with kubectl.</summary>
    public Task<string> ApplyGatewayClassAsync(string name = "tollgate") => ApplyAsync($$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: {{name}}}
        spec:
          controllerName: tollgate.dev/gateway-controller
          parametersRef: {group: tollgate.dev, kind: ApiGateway, name: {{Gateway}}, namespace: default}
        """);

    /// <summary>The Programmed condition of one of our resources (kind as kubectl names it, e.g. TollgatePlugin).</summary>
    public JsonObject? Programmed(string kind, string name, string? ns = "default") =>
        Server.TryGet(OperatorHarness.ApiVersion, kind, ns, name)?["status"]?["conditions"]?.AsArray()
            .FirstOrDefault(c => (string?)c!["type"] == "Programmed")?.AsObject();

    /// <summary>Waits until the resource's Programmed condition has <paramref name="status"/>; returns it.</summary>
    public async Task<JsonObject> UntilProgrammedAsync(string kind, string name, string status = "True", string? ns = "default", double seconds = 30)
    {
        await Wait.UntilAsync(() => (string?)Programmed(kind, name, ns)?["status"] == status,
            $"{kind} {name} is Programmed={status} (now: {Programmed(kind, name, ns)?.ToJsonString() ?? "no condition"})", seconds);
        return Programmed(kind, name, ns)!;
    }

    /// <summary>The Warning Events about an object, newest last.</summary>
    public IReadOnlyList<JsonObject> Warnings(string kind, string name, string ns = "default") =>
        [.. Server.List("v1", "Event", ns).Where(e => (string?)e["type"] == "Warning"
            && (string?)e["involvedObject"]!["kind"] == kind && (string?)e["involvedObject"]!["name"] == name)];

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Kubectl.Dispose();
        await Fleet.DisposeAsync();
        foreach (var upstream in upstreams)
            await upstream.DisposeAsync();
    }
}
