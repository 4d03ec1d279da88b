using System.Text.Json.Nodes;

namespace Gateway.Operator.Tests.ApiServer;

/// <summary>The built-in kinds a gateway operator reads: served, discoverable, and one Event resource behind two APIs.</summary>
public sealed class KindsTests : ServerTest
{

    [Theory]
    [InlineData("/apis/networking.k8s.io/v1", "ingresses", "Ingress", true, true)]
    [InlineData("/apis/networking.k8s.io/v1", "ingressclasses", "IngressClass", false, false)]
    [InlineData("/apis/discovery.k8s.io/v1", "endpointslices", "EndpointSlice", true, false)]
    [InlineData("/apis/events.k8s.io/v1", "events", "Event", true, false)]
    [InlineData("/api/v1", "events", "Event", true, false)]
    [InlineData("/api/v1", "configmaps", "ConfigMap", true, false)]
    [InlineData("/api/v1", "pods", "Pod", true, true)]
    public async Task The_kind_is_in_discovery(string groupVersion, string plural, string kind, bool namespaced, bool status)
    {
        var resources = (await Api.OkAsync(HttpMethod.Get, groupVersion))["resources"]!.AsArray();

        var resource = resources.Single(r => (string?)r!["name"] == plural)!;
        Assert.Equal(kind, (string?)resource["kind"]);
        Assert.Equal(namespaced, (bool)resource["namespaced"]!);
        Assert.Equal(status, resources.Any(r => (string?)r!["name"] == $"{plural}/status"));
    }

    [Fact]
    public async Task An_event_written_through_events_k8s_io_is_read_through_core_with_its_fields_renamed()
    {
        var regarding = new JsonObject { ["apiVersion"] = "tollgate.dev/v1alpha1", ["kind"] = "ApiGateway", ["name"] = "edge", ["namespace"] = "default" };
        await Api.OkAsync(HttpMethod.Post, "/apis/events.k8s.io/v1/namespaces/default/events", new JsonObject
        {
            ["apiVersion"] = "events.k8s.io/v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = "edge.1" },
            ["eventTime"] = "2026-01-01T00:00:00.000000Z",
            ["reportingController"] = "tollgate.dev/operator",
            ["reportingInstance"] = "operator-0",
            ["action"] = "Reconcile",
            ["reason"] = "Ready",
            ["type"] = "Normal",
            ["note"] = "2 of 2 proxies ready",
            ["regarding"] = regarding,
        });

        var core = await Api.OkAsync(HttpMethod.Get, "/api/v1/namespaces/default/events/edge.1");

        Assert.Equal("v1", (string?)core["apiVersion"]);
        Assert.Equal("2 of 2 proxies ready", (string?)core["message"]);
        Assert.Equal("Ready", (string?)core["reason"]);
        Assert.Equal("Normal", (string?)core["type"]);
        Assert.Equal("tollgate.dev/operator", (string?)core["reportingComponent"]);
        Assert.Equal("operator-0", (string?)core["reportingInstance"]);
        Assert.Equal("2026-01-01T00:00:00.000000Z", (string?)core["eventTime"]);
        Assert.True(JsonNode.DeepEquals(regarding, core["involvedObject"]));
        Assert.Null(core["note"]);
        Assert.Null(core["regarding"]);
    }

    [Fact]
    public async Task A_core_event_is_read_through_events_k8s_io_listed_and_watched()
    {
        var list = await Api.OkAsync(HttpMethod.Get, "/apis/events.k8s.io/v1/namespaces/default/events");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var watched = Api.WatchAsync($"/apis/events.k8s.io/v1/namespaces/default/events?watch=true&resourceVersion={list["metadata"]!["resourceVersion"]}", cancel.Token)
            .FirstAsync(cancel.Token);

        await Api.OkAsync(HttpMethod.Post, "/api/v1/namespaces/default/events", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web.1" },
            ["involvedObject"] = new JsonObject { ["kind"] = "Service", ["name"] = "web", ["namespace"] = "default" },
            ["reason"] = "Synced",
            ["message"] = "routes written",
            ["type"] = "Normal",
            ["source"] = new JsonObject { ["component"] = "tollgate-operator" },
            ["firstTimestamp"] = "2026-01-01T00:00:00Z",
            ["lastTimestamp"] = "2026-01-01T00:00:05Z",
            ["count"] = 2,
        });

        var change = await watched;
        Assert.Equal("ADDED", (string?)change["type"]);
        var seen = change["object"]!.AsObject();
        Assert.Equal("events.k8s.io/v1", (string?)seen["apiVersion"]);
        Assert.Equal("routes written", (string?)seen["note"]);
        Assert.Equal("web", (string?)seen["regarding"]!["name"]);
        Assert.Equal("tollgate-operator", (string?)seen["deprecatedSource"]!["component"]);
        Assert.Equal("2026-01-01T00:00:00Z", (string?)seen["deprecatedFirstTimestamp"]);
        Assert.Equal("2026-01-01T00:00:05Z", (string?)seen["deprecatedLastTimestamp"]);
        Assert.Equal(2, (int)seen["deprecatedCount"]!);

        var items = (await Api.OkAsync(HttpMethod.Get, "/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=reason%3DSynced"))["items"]!.AsArray();
        Assert.Equal("routes written", (string?)Assert.Single(items)!["note"]);
        var viaCore = await Api.OkAsync(HttpMethod.Get, "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dweb");
        Assert.Single(viaCore["items"]!.AsArray());
        await Api.OkAsync(HttpMethod.Delete, "/apis/events.k8s.io/v1/namespaces/default/events/web.1");
        Assert.Empty((await Api.OkAsync(HttpMethod.Get, "/api/v1/namespaces/default/events"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Endpoint_slices_are_found_by_their_service_name_label()
    {
        foreach (var (name, service) in new[] { ("web-abc", "web"), ("web-def", "web"), ("api-xyz", "api") })
        {
            Server.Create("discovery.k8s.io/v1", "EndpointSlice", "default", new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = service } },
                ["addressType"] = "IPv4",
                ["ports"] = new JsonArray(new JsonObject { ["port"] = 8080 }),
                ["endpoints"] = new JsonArray(new JsonObject { ["addresses"] = new JsonArray("127.0.0.2") }),
            });
        }

        var list = await Api.OkAsync(HttpMethod.Get, "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb");

        var items = list["items"]!.AsArray();
        Assert.Equal(["web-abc", "web-def"], items.Select(i => (string?)i!["metadata"]!["name"]));
        Assert.Equal("TCP", (string?)items[0]!["ports"]![0]!["protocol"]);
        Assert.Equal("", (string?)items[0]!["ports"]![0]!["name"]);
    }

    [Fact]
    public async Task An_ingress_has_a_status_subresource()
    {
        var created = await Api.OkAsync(HttpMethod.Post, "/apis/networking.k8s.io/v1/namespaces/default/ingresses", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject { ["ingressClassName"] = "tollgate" },
            ["status"] = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = "203.0.113.7" }) } },
        });
        Assert.Null(created["status"]);
        Assert.Equal(1, (long)created["metadata"]!["generation"]!);

        created["status"] = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = "203.0.113.7" }) } };
        var withStatus = await Api.OkAsync(HttpMethod.Put, "/apis/networking.k8s.io/v1/namespaces/default/ingresses/web/status", created);

        Assert.Equal("203.0.113.7", (string?)withStatus["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]);
        Assert.Equal(1, (long)withStatus["metadata"]!["generation"]!);
    }
}
