using System.Net;
using System.Text.Json.Nodes;
using Gateway.Operator.Sync;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>
/// Gateway API manifests applied with kubectl reach every proxy of the ApiGateway that serves their Gateway, and each
/// object says what became of it.
/// </summary>
public class GatewayApiSyncTests
{
    // The Gateway API sample: a GatewayClass naming the ApiGateway "edge", a Gateway, an HTTPRoute for /foo and /bar?version=2.
    static readonly string Manifests = SyncHarness.SampleResources("tollgate_v1alpha1_apigateway_gateway_api.yaml");

    [Fact]
    public async Task An_HTTPRoute_on_a_Gateway_of_our_class_routes_on_every_proxy()
    {
        await using var harness = await SyncHarness.StartAsync(gatewayApi: true);
        await harness.ServiceAsync("foo-service", 5000);
        await harness.ServiceAsync("bar-service", 5000);

        await harness.ApplyAsync(Manifests);

        var foo = JsonNode.Parse(await harness.Fleet.UntilEveryProxyAsync("/foo/bar", HttpStatusCode.OK))!;
        Assert.Equal("foo-service-0", (string?)foo["upstream"]);
        Assert.Equal("/foo/bar", (string?)foo["path"]);
        await harness.Fleet.UntilEveryProxyAsync("/foobar", HttpStatusCode.NotFound);
        var bar = JsonNode.Parse(await harness.Fleet.UntilEveryProxyAsync("/bar?version=2", HttpStatusCode.OK))!;
        Assert.Equal("bar-service-0", (string?)bar["upstream"]);
        await harness.Fleet.UntilEveryProxyAsync("/bar?version=1", HttpStatusCode.NotFound);

        var accepted = await UntilConditionAsync(harness, "GatewayClass", null, "tollgate", "Accepted", "True");
        Assert.Equal("Accepted", (string?)accepted["reason"]);
        var features = harness.Server.Get(GatewayApi, "GatewayClass", null, "tollgate")["status"]!["supportedFeatures"]!.AsArray();
        Assert.Equal(GatewayApiStatus.SupportedFeatures, features.Select(f => (string?)f!["name"]));

        var programmed = await UntilConditionAsync(harness, "Gateway", "default", "web", "Programmed", "True");
        Assert.Equal(harness.Server.Get(GatewayApi, "Gateway", "default", "web")["metadata"]!["generation"]!.GetValue<long>(), (long?)programmed["observedGeneration"]);
        var listener = harness.Server.Get(GatewayApi, "Gateway", "default", "web")["status"]!["listeners"]![0]!;
        Assert.Equal(("http", 1), ((string?)listener["name"], (int?)listener["attachedRoutes"]));
        Assert.Equal("True", Condition(listener["conditions"], "Accepted")?["status"]?.GetValue<string>());

        // Both backends resolve once the operator's caches hold their Services (written before the manifests).
        await Wait.UntilAsync(() => (string?)ParentCondition(harness, "foo", "ResolvedRefs")?["status"] == "True",
            () => $"the route's status names its parent with its references resolved (now: {ParentCondition(harness, "foo", "ResolvedRefs")?.ToJsonString()})");
        var parent = harness.Server.Get(GatewayApi, "HTTPRoute", "default", "foo")["status"]!["parents"]!.AsArray().Single()!;
        Assert.Equal("tollgate.dev/gateway-controller", (string?)parent["controllerName"]);
        Assert.Equal("web", (string?)parent["parentRef"]!["name"]);
        Assert.Equal("True", (string?)Condition(parent["conditions"], "Accepted")?["status"]);
        Assert.Equal("True", (string?)Condition(parent["conditions"], "ResolvedRefs")?["status"]);

        var gateways = await harness.Kubectl.SucceedAsync("get", "gateway", "web");
        Assert.Matches(@"(?m)^NAME\s+CLASS\s+ADDRESS\s+PROGRAMMED\s+AGE", gateways);
        Assert.Matches(@"(?m)^web\s+tollgate\s+(<none>\s+)?True\s+\d+s", gateways);
    }

    [Fact]
    public async Task A_route_that_cannot_attach_or_resolve_and_a_Gateway_no_ApiGateway_serves_say_why()
    {
        await using var harness = await SyncHarness.StartAsync(proxies: 1, gatewayApi: true);
        await harness.ServiceAsync("foo-service", 5000);
        await harness.ApplyAsync(Manifests + """

            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: wrong-section
            spec:
              parentRefs:
              - name: web
                sectionName: https
              rules:
              - backendRefs:
                - name: foo-service
                  port: 5000
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: missing-backend
            spec:
              parentRefs:
              - name: web
              rules:
              - matches:
                - path: {type: PathPrefix, value: /missing}
                backendRefs:
                - name: no-such-service
                  port: 80
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: orphan
            spec:
              gatewayClassName: tollgate
              infrastructure:
                parametersRef: {group: tollgate.dev, kind: ApiGateway, name: nowhere}
              listeners:
              - {name: http, protocol: HTTP, port: 80}
            """);

        await harness.Fleet.UntilEveryProxyAsync("/foo", HttpStatusCode.OK);
        await Wait.UntilAsync(() => ParentCondition(harness, "wrong-section", "Accepted")?["reason"]?.GetValue<string>() == "NoMatchingParent",
            "the route naming a missing listener is not accepted");
        await Wait.UntilAsync(() => ParentCondition(harness, "missing-backend", "ResolvedRefs")?["reason"]?.GetValue<string>() == "BackendNotFound",
            "the route naming a missing Service says so");
        Assert.Equal("True", (string?)ParentCondition(harness, "missing-backend", "Accepted")?["status"]);
        var orphan = await UntilConditionAsync(harness, "Gateway", "default", "orphan", "Accepted", "False");
        Assert.Equal("InvalidParameters", (string?)orphan["reason"]);
        Assert.Contains("ApiGateway default/nowhere does not exist", (string?)orphan["message"]);
    }

    [Fact]
    public async Task A_Gateway_naming_no_ApiGateway_gets_one_made_for_it_and_its_routes_are_served()
    {
        await using var harness = await SyncHarness.StartAsync(proxies: 1, gatewayApi: true);
        await harness.ServiceAsync("foo-service", 5000);
        // The pods of the ApiGateway to be made: the fleet, reached through that gateway's admin Service and token.
        harness.Server.Create("v1", "Secret", "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web-admin-token" },
            ["stringData"] = new JsonObject { ["token"] = harness.Fleet.Token },
        });
        harness.Slice("web-admin", "web-admin-q8r2m", "admin", harness.Fleet.AdminPort, harness.Fleet.AdminAddresses.Select(a => a.ToString()));

        await harness.ApplyAsync(Manifests.Replace("""
              parametersRef:
                group: tollgate.dev
                kind: ApiGateway
                name: edge
                namespace: default
            """, ""));

        await Wait.UntilAsync(() => harness.Server.TryGet(OperatorHarness.ApiVersion, "ApiGateway", "default", "web") is not null, "an ApiGateway is made for the Gateway");
        var made = harness.Server.Get(OperatorHarness.ApiVersion, "ApiGateway", "default", "web");
        Assert.Equal("Gateway", (string?)made["metadata"]!["ownerReferences"]![0]!["kind"]);
        Assert.Equal("gateway-default-web", (string?)made["spec"]!["ingress"]!["className"]);
        await harness.Fleet.UntilEveryProxyAsync("/foo", HttpStatusCode.OK);
        var programmed = await UntilConditionAsync(harness, "Gateway", "default", "web", "Programmed", "True");
        Assert.Contains("ApiGateway default/web", (string?)programmed["message"]);

        await harness.Kubectl.SucceedAsync("delete", "gateway", "web");
        await Wait.UntilAsync(() => harness.Server.TryGet(OperatorHarness.ApiVersion, "ApiGateway", "default", "web") is null, "the ApiGateway goes with its Gateway");
    }

    [Fact]
    public async Task The_HTTPS_sample_is_served_with_its_certificate_by_an_ApiGateway_made_for_its_Gateway()
    {
        await using var harness = await SyncHarness.StartAsync(proxies: 1, gatewayApi: true, proxyTls: true);
        await harness.ServiceAsync("foo-service", 5000);
        await harness.ServiceAsync("bar-service", 5000);
        // The pods of the ApiGateway to be made: the fleet, reached through that gateway's admin Service and token.
        harness.Server.Create("v1", "Secret", "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "shop-admin-token" },
            ["stringData"] = new JsonObject { ["token"] = harness.Fleet.Token },
        });
        harness.Slice("shop-admin", "shop-admin-x7k2p", "admin", harness.Fleet.AdminPort, harness.Fleet.AdminAddresses.Select(a => a.ToString()));
        var www = Kubernetes.TestCertificates.SelfSigned("www.example.com", "www.example.com");
        harness.Server.Create("v1", "Secret", "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "www-tls" },
            ["type"] = "kubernetes.io/tls",
            ["stringData"] = new JsonObject { ["tls.crt"] = www.Cert, ["tls.key"] = www.Key },
        });

        await harness.ApplyAsync(SyncHarness.SampleResources("tollgate_v1alpha1_gateway_api_https.yaml"));

        await Wait.UntilAsync(() => harness.Server.TryGet(OperatorHarness.ApiVersion, "ApiGateway", "default", "shop") is not null, "an ApiGateway is made for the Gateway");
        var made = harness.Server.Get(OperatorHarness.ApiVersion, "ApiGateway", "default", "shop");
        Assert.Equal("www-tls", (string?)made["spec"]!["proxy"]!["tls"]!["secretName"]);
        Assert.Equal(443, (int?)made["spec"]!["proxy"]!["service"]!["tlsPort"]);
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(www.Cert);
        var expected = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        HttpsAnswer? last = null;
        // (An attempt made while the configuration arrives can shake hands before it and be routed after it.)
        await Wait.UntilAsync(async () => (last = await harness.Fleet.HttpsAsync(0, "www.example.com", "/")) is { Status: HttpStatusCode.OK } answer
                                          && answer.Certificate == expected,
            () => $"https://www.example.com/ answers 200 with the certificate of www-tls (last: {last})", 30);
        last = await harness.Fleet.HttpsAsync(0, "www.example.com", "/");
        Assert.Equal((HttpStatusCode.OK, expected), (last.Status, last.Certificate));
        Assert.Matches("\"upstream\":\"(foo|bar)-service-0\"", last.Body);
        Assert.Equal(HttpStatusCode.NotFound, (await harness.Fleet.HttpsAsync(0, "www.example.com", "/", host: "other.example.com")).Status);

        await UntilConditionAsync(harness, "Gateway", "default", "shop", "Programmed", "True");
        var gateways = await harness.Kubectl.SucceedAsync("get", "gateway", "shop");
        Assert.Matches(@"(?m)^shop\s+tollgate-managed\s+(\S+\s+)?True\s+\d+s", gateways);
    }

    const string GatewayApi = "gateway.networking.k8s.io/v1";

    static JsonNode? Condition(JsonNode? conditions, string type) =>
        conditions?.AsArray().FirstOrDefault(c => (string?)c!["type"] == type);

    static JsonNode? ParentCondition(SyncHarness harness, string route, string type) =>
        Condition(harness.Server.TryGet(GatewayApi, "HTTPRoute", "default", route)?["status"]?["parents"]?.AsArray().FirstOrDefault()?["conditions"], type);

    static async Task<JsonNode> UntilConditionAsync(SyncHarness harness, string kind, string? ns, string name, string type, string status)
    {
        JsonNode? Find() => Condition(harness.Server.TryGet(GatewayApi, kind, ns, name)?["status"]?["conditions"], type);
        await Wait.UntilAsync(() => (string?)Find()?["status"] == status, $"{kind} {name} has {type}={status} (now: {Find()?.ToJsonString()})", 15);
        return Find()!;
    }
}
