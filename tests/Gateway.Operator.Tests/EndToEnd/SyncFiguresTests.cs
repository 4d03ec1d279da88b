using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Gateway.TestSupport;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>
/// The configuration sync's targets, measured through real proxy processes and printed (tests/operator-figures.sh
/// shows them): how soon an applied Ingress is served by every proxy, and a large cluster's first sync, next change and the
/// operator's memory.
/// </summary>
public sealed class SyncFiguresTests
{
    const int Changes = 60;

    static string IngressYaml(string name, string path, string service) => $"""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: {name}
        spec:
          ingressClassName: tollgate
          rules:
          - http:
              paths:
              - path: {path}
                pathType: Prefix
                backend:
                  service:
                    name: {service}
                    port:
                      number: 80
        """;

    [Fact]
    public async Task Time_from_kubectl_apply_of_an_Ingress_to_200_through_every_proxy()
    {
        await using var harness = await SyncHarness.StartAsync(proxies: 2, proxyProcesses: true);
        await harness.ServiceAsync("web", 80);
        await harness.ApplyAsync(IngressYaml("warmup", "/warmup", "web"));
        await harness.Fleet.UntilEveryProxyAsync("/warmup", HttpStatusCode.OK);

        var fromStart = new List<double>();
        var fromApplied = new List<double>();
        for (var i = 0; i < Changes; i++)
        {
            var clock = Stopwatch.StartNew();
            await harness.ApplyAsync(IngressYaml($"change-{i}", $"/change-{i}", "web"));
            var applied = clock.Elapsed;
            await harness.Fleet.UntilEveryProxyAsync($"/change-{i}", HttpStatusCode.OK);
            fromStart.Add(clock.Elapsed.TotalMilliseconds);
            fromApplied.Add((clock.Elapsed - applied).TotalMilliseconds);
        }

        Figures.Record($"kubectl apply returned -> 200 on both proxies, {Changes} Ingresses (target median < 300 ms, p99 < 1 s)", Percentiles(fromApplied));
        Figures.Record($"kubectl apply started -> 200 on both proxies, {Changes} Ingresses (kubectl itself included)", Percentiles(fromStart));
        Assert.Equal(Changes, fromStart.Count);
    }

    static string HttpRouteYaml(string name, string path, string service) => $"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: {name}
        spec:
          parentRefs:
          - name: web
          rules:
          - matches:
            - path:
                type: PathPrefix
                value: {path}
            backendRefs:
            - name: {service}
              port: 80
        """;

    const string GatewayManifests = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata:
          name: tollgate
        spec:
          controllerName: tollgate.dev/gateway-controller
          parametersRef: {group: tollgate.dev, kind: ApiGateway, name: edge, namespace: default}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: web
        spec:
          gatewayClassName: tollgate
          listeners:
          - {name: http, protocol: HTTP, port: 80}
        """;

    [Fact]
    public async Task Time_from_kubectl_apply_of_an_HTTPRoute_to_200_through_every_proxy_and_to_its_status()
    {
        await using var harness = await SyncHarness.StartAsync(proxies: 2, proxyProcesses: true, gatewayApi: true);
        await harness.ServiceAsync("web-svc", 80);
        await harness.ApplyAsync(GatewayManifests);
        await harness.ApplyAsync(HttpRouteYaml("warmup", "/warmup", "web-svc"));
        await harness.Fleet.UntilEveryProxyAsync("/warmup", HttpStatusCode.OK);

        var routable = new List<double>();
        var status = new List<double>();
        for (var i = 0; i < Changes; i++)
        {
            await harness.ApplyAsync(HttpRouteYaml($"change-{i}", $"/change-{i}", "web-svc"));
            var clock = Stopwatch.StartNew();
            await harness.Fleet.UntilEveryProxyAsync($"/change-{i}", HttpStatusCode.OK);
            routable.Add(clock.Elapsed.TotalMilliseconds);
            await Wait.UntilAsync(() => harness.Server.Get("gateway.networking.k8s.io/v1", "HTTPRoute", "default", $"change-{i}")["status"]?["parents"] is JsonArray { Count: 1 },
                "the route's status is written");
            status.Add(clock.Elapsed.TotalMilliseconds);
        }

        Figures.Record($"kubectl apply of an HTTPRoute returned -> 200 on both proxies, {Changes} routes", Percentiles(routable));
        Figures.Record($"kubectl apply of an HTTPRoute returned -> its parent status written, {Changes} routes", Percentiles(status));
        Assert.Equal(Changes, routable.Count);
    }

    [Fact]
    public async Task A_thousand_HTTPRoutes_first_sync_and_next_change()
    {
        const int routes = 1000, services = 250;
        await using var harness = await SyncHarness.StartAsync(proxies: 2, startOperator: false, proxyProcesses: true, gatewayApi: true);
        var echo = await EchoUpstream.StartAsync("pod");
        try
        {
            var first = harness.StartOperator();
            await harness.ApplyAsync(GatewayManifests);
            await Wait.UntilAsync(() => first.Operator.Sync.Completed > 0, "a first sync ran", 30);
            await first.StopAsync();
            for (var s = 0; s < services; s++)
            {
                harness.Server.Create("v1", "Service", "default", new JsonObject
                {
                    ["metadata"] = new JsonObject { ["name"] = $"svc-{s}" },
                    ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) },
                });
                harness.Slice($"svc-{s}", $"svc-{s}-0", null, echo.Port, ["127.0.0.1"]);
            }
            for (var r = 0; r < routes; r++)
                harness.Server.Create("gateway.networking.k8s.io/v1", "HTTPRoute", "default", new JsonObject
                {
                    ["metadata"] = new JsonObject { ["name"] = $"route-{r}" },
                    ["spec"] = new JsonObject
                    {
                        ["parentRefs"] = new JsonArray(new JsonObject { ["name"] = "web" }),
                        ["rules"] = new JsonArray(new JsonObject
                        {
                            ["matches"] = new JsonArray(new JsonObject { ["path"] = new JsonObject { ["type"] = "PathPrefix", ["value"] = $"/r{r}" } }),
                            ["backendRefs"] = new JsonArray(new JsonObject { ["name"] = $"svc-{r % services}", ["port"] = 80 }),
                        }),
                    },
                });

            var clock = Stopwatch.StartNew();
            var running = harness.StartOperator();
            await harness.Fleet.UntilEveryProxyAsync($"/r{routes - 1}", HttpStatusCode.OK, seconds: 60);
            await harness.Fleet.UntilEveryProxyAsync("/r0", HttpStatusCode.OK, seconds: 60);
            Figures.Record($"operator (re)start -> {routes} HTTPRoutes over {services} Services served by both proxies", clock.Elapsed);
            await Wait.UntilAsync(() => harness.Server.List("gateway.networking.k8s.io/v1", "HTTPRoute", "default").All(r => r["status"]?["parents"] is JsonArray { Count: 1 }),
                "every route's status is written", 60);
            Figures.Record($"operator (re)start -> the status of all {routes} HTTPRoutes written", clock.Elapsed);

            var change = Stopwatch.StartNew();
            await harness.ApplyAsync(HttpRouteYaml("one-more", "/one-more", "svc-0"));
            await harness.Fleet.UntilEveryProxyAsync("/one-more", HttpStatusCode.OK, seconds: 30);
            Figures.Record("then kubectl apply of one more HTTPRoute -> 200 on both proxies", change.Elapsed);
        }
        finally
        {
            await echo.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_thousand_Ingresses_over_five_hundred_Services_first_sync_next_change_and_operator_memory()
    {
        const int services = 500, perService = 4, pods = 3;
        await using var harness = await SyncHarness.StartAsync(proxies: 2, startOperator: false, proxyProcesses: true);
        var echoes = new List<EchoUpstream>();
        for (var i = 0; i < pods; i++)
            echoes.Add(await EchoUpstream.StartAsync($"pod-{i}"));
        try
        {
            // The gateway is converged (its IngressClass kept) before the operator restarts onto the large state.
            var first = harness.StartOperator();
            await Wait.UntilAsync(() => harness.Server.TryGet("networking.k8s.io/v1", "IngressClass", null, "tollgate") is not null && first.Operator.Sync.Completed > 0,
                "the gateway's IngressClass exists and a first sync ran", 30);
            await first.StopAsync();
            var server = harness.Server;
            for (var s = 0; s < services; s++)
            {
                server.Create("v1", "Service", "default", new JsonObject
                {
                    ["metadata"] = new JsonObject { ["name"] = $"svc-{s}" },
                    ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) },
                });
                // Three pods per Service; pods on one loopback address differ by port, so each has its own slice.
                for (var p = 0; p < pods; p++)
                    harness.Slice($"svc-{s}", $"svc-{s}-{p}", null, echoes[p].Port, ["127.0.0.1"]);
                for (var r = 0; r < perService; r++)
                    server.Create("networking.k8s.io/v1", "Ingress", "default", new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["name"] = $"ing-{s}-{r}" },
                        ["spec"] = new JsonObject
                        {
                            ["ingressClassName"] = "tollgate",
                            ["rules"] = new JsonArray(new JsonObject
                            {
                                ["http"] = new JsonObject
                                {
                                    ["paths"] = new JsonArray(new JsonObject
                                    {
                                        ["path"] = $"/s{s}/r{r}", ["pathType"] = "Prefix",
                                        ["backend"] = new JsonObject { ["service"] = new JsonObject { ["name"] = $"svc-{s}", ["port"] = new JsonObject { ["number"] = 80 } } },
                                    }),
                                },
                            }),
                        },
                    });
            }

            var clock = Stopwatch.StartNew();
            var running = harness.StartOperator();
            await Wait.UntilAsync(() => running.IsLeader && running.Operator.Runtime.IsReady, "the operator leads with synced caches", 30);
            var listed = clock.Elapsed;
            await Wait.UntilAsync(() => running.Operator.Sync.Completed > 0, "the first sync finished", 30);
            var synced = clock.Elapsed;
            await harness.Fleet.UntilEveryProxyAsync($"/s{services - 1}/r{perService - 1}", HttpStatusCode.OK, seconds: 60);
            await harness.Fleet.UntilEveryProxyAsync("/s0/r0", HttpStatusCode.OK, seconds: 60);
            Figures.Record($"operator (re)start -> {services * perService} Ingresses over {services} Services x {pods} endpoints served by both proxies (target < 5 s)", clock.Elapsed);
            Figures.Record("  of which: leading with every cache listed", listed);
            Figures.Record("  of which: first sync posted and accepted", synced);
            var routes = JsonNode.Parse(await harness.Fleet.Admins[0].GetStringAsync("/routes?size=1000&tags=k8s-kind:Ingress"))!;
            Assert.Equal(1000, routes["data"]!.AsArray().Count);

            var change = Stopwatch.StartNew();
            await harness.ApplyAsync(IngressYaml("one-more", "/one-more", "svc-0"));
            await harness.Fleet.UntilEveryProxyAsync("/one-more", HttpStatusCode.OK, seconds: 30);
            Figures.Record($"then kubectl apply of one more Ingress -> 200 on both proxies (target < 1 s)", change.Elapsed);

            await running.StopAsync();
            await MeasureExecutableAsync(harness, "/one-more");
        }
        finally
        {
            foreach (var echo in echoes)
                await echo.DisposeAsync();
        }
    }

    // The operator as shipped, taking over that state: its resident memory once it serves it and idles.
    static async Task MeasureExecutableAsync(SyncHarness harness, string servedPath)
    {
        var home = Directory.CreateTempSubdirectory("tollgate-sync-figures-").FullName;
        var published = await Images.DockerfileBuild.PublishAsync("Dockerfile.operator");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { Path.Combine(published, "Gateway.Operator.dll"), "run" })
            start.ArgumentList.Add(argument);
        start.Environment["KUBECONFIG"] = FiguresTests.WriteKubeconfig(harness.Cluster, home);
        start.Environment.Remove("KUBERNETES_SERVICE_HOST");
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        start.Environment["POD_NAME"] = "operator-process";
        start.Environment["POD_NAMESPACE"] = OperatorHarness.OperatorNamespace;
        start.Environment["TOLLGATE_HEALTH_PORT"] = FreePort.Next().ToString();
        using var process = Process.Start(start)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await Wait.UntilAsync(() => (string?)harness.Server.TryGet("coordination.k8s.io/v1", "Lease", OperatorHarness.OperatorNamespace, "tollgate-operator")?["spec"]?["holderIdentity"] == "operator-process",
                "the operator executable leads", 60);
            await harness.Fleet.UntilEveryProxyAsync(servedPath, HttpStatusCode.OK);
            await Task.Delay(TimeSpan.FromSeconds(10));
            var rss = FiguresTests.ResidentKilobytes(process.Id);
            Figures.Record("operator RSS serving that state (kubeconfig, idle 10 s after taking over)", $"{rss / 1024.0:F1} MB");
            Assert.True(rss > 0);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            Directory.Delete(home, recursive: true);
        }
    }

    static string Percentiles(List<double> samples)
    {
        var sorted = samples.Order().ToList();
        double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        return $"median {At(0.5):F0} ms, p99 {At(0.99):F0} ms, max {sorted[^1]:F0} ms";
    }
}
