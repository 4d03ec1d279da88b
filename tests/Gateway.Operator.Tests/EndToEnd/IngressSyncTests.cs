using System.Net;
using System.Text.Json.Nodes;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>
/// Ingresses applied with kubectl reach every proxy of the gateway through the operator's scoped sync, beside what
/// was made by hand through the Admin API, and what cannot be served says why.
/// </summary>
public class IngressSyncTests
{
    // The foo/bar Ingresses of the Kong Ingress Controller walkthrough, as the sample declares them.
    static readonly string FooBar = SyncHarness.SampleResources("tollgate_v1alpha1_apigateway_foobar.yaml");

    [Fact]
    public async Task Foo_and_bar_Ingresses_route_on_every_proxy_and_anything_else_gets_Kongs_404()
    {
        await using var harness = await SyncHarness.StartAsync();
        await harness.ServiceAsync("foo-service", 5000);
        await harness.ServiceAsync("bar-service", 5000);

        var applied = await harness.ApplyAsync(FooBar);

        Assert.Contains("ingress.networking.k8s.io/foo created", applied);
        var foo = JsonNode.Parse(await harness.Fleet.UntilEveryProxyAsync("/foo", HttpStatusCode.OK))!;
        Assert.Equal("foo-service-0", (string?)foo["upstream"]);
        Assert.Equal("/foo", (string?)foo["path"]); // strip_path is false, as Kong Ingress Controller has it
        var bar = JsonNode.Parse(await harness.Fleet.UntilEveryProxyAsync("/bar/baz", HttpStatusCode.OK))!;
        Assert.Equal("bar-service-0", (string?)bar["upstream"]);
        Assert.Equal("/bar/baz", (string?)bar["path"]);
        var other = await harness.Fleet.UntilEveryProxyAsync("/baz", HttpStatusCode.NotFound);
        Assert.Equal("no Route matched with those values", (string?)JsonNode.Parse(other)!["message"]);

        // Two Ingresses and their two Services.
        await Wait.UntilAsync(() => (int?)harness.Cluster.Gateway(SyncHarness.Gateway)["status"]?["configuration"]?["programmed"] == 4,
            "the gateway counts four programmed objects");
        var gateway = harness.Cluster.Gateway(SyncHarness.Gateway)["status"]!;
        Assert.Equal(0, (int?)gateway["configuration"]!["failed"]);
        Assert.NotNull(gateway["configuration"]!["lastSyncTime"]);
        var synced = harness.Cluster.Condition(SyncHarness.Gateway, "ConfigurationSynced")!;
        Assert.Equal("True", (string?)synced["status"]);
        Assert.Equal("4 objects programmed, 0 failed", (string?)synced["message"]);
        // No Gateway API CRDs here: the gateway says what it cannot serve, and serves its Ingresses.
        var degraded = harness.Cluster.Condition(SyncHarness.Gateway, "Degraded")!;
        Assert.Equal(("True", "GatewayAPINotInstalled"), ((string?)degraded["status"], (string?)degraded["reason"]));
        Assert.Contains("standard channel", (string?)degraded["message"]);
        var listed = (await harness.Kubectl.SucceedAsync("get", "agw", SyncHarness.Gateway)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Synced", listed[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^2]);
    }

    [Fact]
    public async Task An_Ingress_shows_the_address_of_its_gateways_proxy_Service()
    {
        await using var harness = await SyncHarness.StartAsync(proxies: 1);
        await harness.ServiceAsync("foo-service", 5000);
        await harness.ApplyAsync(FooBar);
        await Wait.UntilAsync(() => harness.Server.TryGet("v1", "Service", "default", "edge-proxy") is not null, "the proxy Service exists");

        harness.Server.Patch("v1", "Service", "default", "edge-proxy", new JsonObject
        {
            ["status"] = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = "203.0.113.10" }) } },
        }, status: true);

        await Wait.UntilAsync(() => (string?)harness.Server.Get("networking.k8s.io/v1", "Ingress", "default", "foo")["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"] == "203.0.113.10",
            "the Ingress shows the load balancer's address");
        var listed = await harness.Kubectl.SucceedAsync("get", "ingress", "foo");
        Assert.Contains("203.0.113.10", listed);
    }

    [Fact]
    public async Task Hand_made_Admin_API_entities_survive_syncs_and_an_operator_restart_writes_nothing()
    {
        await using var harness = await SyncHarness.StartAsync(proxies: 2);
        var manual = (await harness.ServiceAsync("manual-pods", 80))[0];
        var admin = harness.Fleet.Admins[0];
        using (var service = await admin.PostAsync("/services", Form(("name", "manual"), ("url", manual.Url))))
            Assert.Equal(HttpStatusCode.Created, service.StatusCode);
        using (var route = await admin.PostAsync("/services/manual/routes", Form(("name", "manual"), ("paths[]", "/manual"))))
            Assert.Equal(HttpStatusCode.Created, route.StatusCode);
        await harness.ServiceAsync("foo-service", 5000);
        await harness.ServiceAsync("bar-service", 5000);

        await harness.ApplyAsync(FooBar);
        await harness.Fleet.UntilEveryProxyAsync("/foo", HttpStatusCode.OK);
        await harness.Fleet.UntilEveryProxyAsync("/bar", HttpStatusCode.OK); // both applied before one goes
        await harness.Fleet.UntilEveryProxyAsync("/manual", HttpStatusCode.OK);
        await harness.Kubectl.SucceedAsync("delete", "ingress", "bar");
        await harness.Fleet.UntilEveryProxyAsync("/bar", HttpStatusCode.NotFound);
        await harness.Fleet.UntilEveryProxyAsync("/manual", HttpStatusCode.OK);
        await harness.Fleet.UntilEveryProxyAsync("/foo", HttpStatusCode.OK);

        var before = await StatusAsync(admin);
        await harness.Operator!.StopAsync();
        var restarted = harness.StartOperator();
        await Wait.UntilAsync(() => restarted.Operator.Sync.Completed > 0, "the restarted operator finished a sync", 20);
        var after = await StatusAsync(admin);

        Assert.Equal((string?)before["configuration_hash"], (string?)after["configuration_hash"]);
        Assert.Equal((long?)before["configuration_version"], (long?)after["configuration_version"]);
        await harness.Fleet.UntilEveryProxyAsync("/manual", HttpStatusCode.OK);
    }

    static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) => new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));

    static async Task<JsonObject> StatusAsync(HttpClient admin) => JsonNode.Parse(await admin.GetStringAsync("/status"))!.AsObject();
}
