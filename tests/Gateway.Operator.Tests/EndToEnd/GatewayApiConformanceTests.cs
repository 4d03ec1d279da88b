using System.Net;
using System.Text.Json.Nodes;
using Gateway.TestSupport;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>
/// One gateway, its proxies and the conformance suite's namespaces and backends, shared by the tests of a class (each
/// test uses hostnames of its own): the infra namespace holds three echo backends and two Gateways, one admitting
/// routes of its own namespace only, one admitting all; the app namespace holds another backend.
/// </summary>
public sealed class ConformanceCluster : IAsyncLifetime
{
    public const string Infra = "gateway-conformance-infra";
    public const string App = "gateway-conformance-app-backend";

    internal SyncHarness Harness { get; private set; } = null!;

    /// <summary>The echo upstreams behind each backend Service, by Service name.</summary>
    internal Dictionary<string, IReadOnlyList<EchoUpstream>> Backends { get; } = [];

    public async Task InitializeAsync()
    {
        Harness = await SyncHarness.StartAsync(proxies: 2, gatewayApi: true);
        foreach (var ns in new[] { Infra, App })
            Harness.Server.Create("v1", "Namespace", null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns, ["labels"] = new JsonObject { ["conformance"] = ns } } });
        foreach (var backend in new[] { "infra-backend-v1", "infra-backend-v2", "infra-backend-v3" })
            Backends[backend] = await Harness.ServiceAsync(backend, 8080, ns: Infra);
        Backends["app-backend-v1"] = await Harness.ServiceAsync("app-backend-v1", 8080, ns: App);
        await Harness.ApplyAsync("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {name: tollgate}
            spec:
              controllerName: tollgate.dev/gateway-controller
              parametersRef: {group: tollgate.dev, kind: ApiGateway, name: edge, namespace: default}
            """ + Gateway("same-namespace", "Same") + Gateway("all-namespaces", "All"));
    }

    // A Gateway in the infra namespace whose one HTTP listener admits routes from the namespaces "from" says.
    static string Gateway(string name, string from) => $$"""

        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: {{name}}, namespace: {{Infra}}}
        spec:
          gatewayClassName: tollgate
          listeners:
          - name: http
            protocol: HTTP
            port: 80
            allowedRoutes:
              namespaces:
                from: {{from}}
        """;

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}

/// <summary>
/// The core HTTPRoute behaviour the Gateway API's conformance suite checks, each as our own test: manifests applied
/// with kubectl, answers from real proxies, and the status the spec asks for.
/// </summary>
public partial class GatewayApiConformanceTests(ConformanceCluster cluster) : IClassFixture<ConformanceCluster>
{
    const string GatewayApi = "gateway.networking.k8s.io/v1";
    const string Infra = ConformanceCluster.Infra;
    const string App = ConformanceCluster.App;
    SyncHarness Harness => cluster.Harness;

    static string Route(string name, string ns, string gateway, string host, string rules, string gatewayNamespace = Infra) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: {{name}}, namespace: {{ns}}}
        spec:
          parentRefs:
          - {name: {{gateway}}, namespace: {{gatewayNamespace}}}
          hostnames: ["{{host}}"]
          rules:
        {{rules}}
        """;

    static string Backend(string name, int weight = 1, string? ns = null) =>
        ns is null ? $"{{name: {name}, port: 8080, weight: {weight}}}" : $"{{name: {name}, namespace: {ns}, port: 8080, weight: {weight}}}";

    // The backend that answered, or the status when it is not 200.
    static Task<string> AnswerAsync(HttpClient proxy, string host, string path, params (string Name, string Value)[] headers) =>
        AnswerAsync(proxy, HttpMethod.Get, host, path, headers);

    // Waits until every proxy gives each expected answer.
    async Task ExpectAsync(string host, params (string Path, string Answer, (string, string)[] Headers)[] cases)
    {
        foreach (var proxy in Harness.Fleet.Proxies)
            foreach (var (path, answer, headers) in cases)
            {
                var last = "";
                await Wait.UntilAsync(async () => (last = await AnswerAsync(proxy, host, path, headers)) == answer,
                    () => $"{host}{path} answers {answer} (last: {last})", 30);
            }
    }

    static (string, string, (string, string)[]) Case(string path, string answer, params (string, string)[] headers) => (path, answer, headers);

    JsonNode? ParentCondition(string ns, string route, string type) =>
        Harness.Server.TryGet(GatewayApi, "HTTPRoute", ns, route)?["status"]?["parents"]?.AsArray()
            .FirstOrDefault()?["conditions"]?.AsArray().FirstOrDefault(c => (string?)c!["type"] == type);

    Task UntilParentAsync(string ns, string route, string type, string status, string reason) =>
        Wait.UntilAsync(() => (string?)ParentCondition(ns, route, type)?["status"] == status && (string?)ParentCondition(ns, route, type)?["reason"] == reason,
            () => $"HTTPRoute {ns}/{route} has {type}={status} {reason} (now: {ParentCondition(ns, route, type)?.ToJsonString()})", 30);

    [Fact]
    public async Task Same_namespace_routing_and_a_route_from_another_namespace_not_allowed_by_the_listener()
    {
        await Harness.ApplyAsync(Route("same", Infra, "same-namespace", "same.example.com", $"  - backendRefs: [{Backend("infra-backend-v1")}]")
            + "\n---\n" + Route("intruder", App, "same-namespace", "intruder.example.com", $"  - backendRefs: [{Backend("app-backend-v1")}]"));

        await ExpectAsync("same.example.com", Case("/", "infra-backend-v1-0"), Case("/any/path", "infra-backend-v1-0"));
        await UntilParentAsync(Infra, "same", "Accepted", "True", "Accepted");
        await UntilParentAsync(App, "intruder", "Accepted", "False", "NotAllowedByListeners");
        await ExpectAsync("intruder.example.com", Case("/", "404"));
    }

    [Fact]
    public async Task Cross_namespace_routing_through_a_listener_admitting_all_namespaces()
    {
        await Harness.ApplyAsync(Route("cross", App, "all-namespaces", "cross.example.com", $"  - backendRefs: [{Backend("app-backend-v1")}]"));

        await ExpectAsync("cross.example.com", Case("/", "app-backend-v1-0"));
        await UntilParentAsync(App, "cross", "Accepted", "True", "Accepted");
        await UntilParentAsync(App, "cross", "ResolvedRefs", "True", "ResolvedRefs");
    }

    [Fact]
    public async Task Exact_and_prefix_paths_match_as_the_spec_says()
    {
        await Harness.ApplyAsync(Route("paths", Infra, "same-namespace", "paths.example.com", $"""
              - matches: [{"{"}path: {"{"}type: Exact, value: /exact{"}"}{"}"}]
                backendRefs: [{Backend("infra-backend-v1")}]
              - matches: [{"{"}path: {"{"}type: PathPrefix, value: /prefix{"}"}{"}"}]
                backendRefs: [{Backend("infra-backend-v2")}]
            """));

        await ExpectAsync("paths.example.com",
            Case("/exact", "infra-backend-v1-0"), Case("/exact/more", "404"),
            Case("/prefix", "infra-backend-v2-0"), Case("/prefix/", "infra-backend-v2-0"), Case("/prefix/one", "infra-backend-v2-0"),
            Case("/prefixed", "404"), Case("/", "404"));
    }

    [Fact]
    public async Task Header_matches_pick_the_rule()
    {
        await Harness.ApplyAsync(Route("headers", Infra, "same-namespace", "headers.example.com", $"""
              - matches: [{"{"}headers: [{"{"}name: version, value: one{"}"}]{"}"}]
                backendRefs: [{Backend("infra-backend-v1")}]
              - matches: [{"{"}headers: [{"{"}name: version, value: two{"}"}]{"}"}]
                backendRefs: [{Backend("infra-backend-v2")}]
            """));

        await ExpectAsync("headers.example.com",
            Case("/", "infra-backend-v1-0", ("version", "one")), Case("/", "infra-backend-v2-0", ("version", "two")),
            Case("/", "404", ("version", "three")), Case("/", "404"));
    }

    [Fact]
    public async Task Across_routes_the_longest_prefix_wins_and_an_exact_path_beats_a_prefix()
    {
        await Harness.ApplyAsync(Route("order-a", Infra, "same-namespace", "order.example.com", $"""
              - matches: [{"{"}path: {"{"}type: PathPrefix, value: /{"}"}{"}"}]
                backendRefs: [{Backend("infra-backend-v1")}]
            """) + "\n---\n" + Route("order-b", Infra, "same-namespace", "order.example.com", $"""
              - matches: [{"{"}path: {"{"}type: PathPrefix, value: /v2{"}"}{"}"}]
                backendRefs: [{Backend("infra-backend-v2")}]
              - matches: [{"{"}path: {"{"}type: Exact, value: /v2/exact{"}"}{"}"}]
                backendRefs: [{Backend("infra-backend-v3")}]
            """));

        await ExpectAsync("order.example.com",
            Case("/", "infra-backend-v1-0"), Case("/v2", "infra-backend-v2-0"), Case("/v2/other", "infra-backend-v2-0"),
            Case("/v2/exact", "infra-backend-v3-0"), Case("/v3", "infra-backend-v1-0"));
    }

    [Fact]
    public async Task Weights_split_the_requests_and_a_weight_of_zero_gets_none()
    {
        await Harness.ApplyAsync(Route("weights", Infra, "same-namespace", "weights.example.com",
            $"  - backendRefs: [{Backend("infra-backend-v1", 70)}, {Backend("infra-backend-v2", 30)}, {Backend("infra-backend-v3", 0)}]"));
        await ExpectAsync("weights.example.com", Case("/", "infra-backend-v1-0"));
        await ExpectAsync("weights.example.com", Case("/", "infra-backend-v2-0"));

        var counts = await CountAnswersAsync("weights.example.com", 500);

        Assert.Equal(["infra-backend-v1-0", "infra-backend-v2-0"], counts.Keys.Order());
        // 70 % of 500 is 350; the conformance suite allows a few percent either way.
        Assert.InRange(counts["infra-backend-v1-0"], 320, 380);
    }

    [Fact]
    public async Task A_cross_namespace_backend_needs_a_ReferenceGrant_and_loses_it_with_the_grant()
    {
        await Harness.ApplyAsync(Route("granted", Infra, "same-namespace", "grant.example.com", $"  - backendRefs: [{Backend("app-backend-v1", ns: App)}]"));
        await UntilParentAsync(Infra, "granted", "ResolvedRefs", "False", "RefNotPermitted");

        const string grant = $$$"""
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: infra-to-app, namespace: {{{App}}}}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: {{{Infra}}}}]
              to: [{group: "", kind: Service}]
            """;
        await Harness.ApplyAsync(grant);
        await ExpectAsync("grant.example.com", Case("/", "app-backend-v1-0"));
        await UntilParentAsync(Infra, "granted", "ResolvedRefs", "True", "ResolvedRefs");

        await Harness.Kubectl.SucceedAsync("delete", "referencegrant", "infra-to-app", "-n", App);
        await UntilParentAsync(Infra, "granted", "ResolvedRefs", "False", "RefNotPermitted");
        await ExpectAsync("grant.example.com", Case("/", "500")); // a rule whose backends are all invalid, as the spec says
    }

    [Fact]
    public async Task The_route_status_follows_its_generation_and_the_listener_counts_attached_routes()
    {
        await Harness.ApplyAsync(Route("generations", App, "all-namespaces", "generations.example.com", $"  - backendRefs: [{Backend("app-backend-v1")}]"));
        await UntilParentAsync(App, "generations", "Accepted", "True", "Accepted");
        Assert.Equal(1L, (long?)ParentCondition(App, "generations", "Accepted")!["observedGeneration"]);

        await Harness.ApplyAsync(Route("generations", App, "all-namespaces", "generations.example.com", $"""
              - matches: [{"{"}path: {"{"}type: PathPrefix, value: /two{"}"}{"}"}]
                backendRefs: [{Backend("app-backend-v1")}]
            """));
        await Wait.UntilAsync(() => (long?)ParentCondition(App, "generations", "Accepted")?["observedGeneration"] == 2, "the condition observes generation 2");

        await Wait.UntilAsync(() => (int?)Harness.Server.Get(GatewayApi, "Gateway", Infra, "all-namespaces")["status"]?["listeners"]?[0]?["attachedRoutes"]
                                    == Harness.Server.List(GatewayApi, "HTTPRoute").Count(r => r["spec"]!["parentRefs"]!.AsArray().Any(p => (string?)p!["name"] == "all-namespaces")),
            "attachedRoutes counts the routes attached to the listener");
    }

    [Fact]
    public async Task A_route_serves_only_the_hostnames_it_shares_with_a_listener()
    {
        await Harness.ApplyAsync($$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: hostnames, namespace: {{Infra}}}
            spec:
              gatewayClassName: tollgate
              listeners:
              - {name: wildcard, protocol: HTTP, port: 80, hostname: "*.wild.example.com"}
              - {name: exact, protocol: HTTP, port: 80, hostname: exact.example.com}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: hostnames, namespace: {{Infra}}}
            spec:
              parentRefs: [{name: hostnames}]
              hostnames: ["a.wild.example.com", "exact.example.com", "elsewhere.example.com"]
              rules:
              - backendRefs: [{{Backend("infra-backend-v1")}}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: nowhere, namespace: {{Infra}}}
            spec:
              parentRefs: [{name: hostnames}]
              hostnames: ["nowhere.example.com"]
              rules:
              - backendRefs: [{{Backend("infra-backend-v2")}}]
            """);

        await ExpectAsync("a.wild.example.com", Case("/", "infra-backend-v1-0"));
        await ExpectAsync("exact.example.com", Case("/", "infra-backend-v1-0"));
        await ExpectAsync("elsewhere.example.com", Case("/", "404"));
        await ExpectAsync("b.wild.example.com", Case("/", "404"));
        await UntilParentAsync(Infra, "nowhere", "Accepted", "False", "NoMatchingListenerHostname");
    }

    [Fact]
    public async Task A_route_attached_to_two_Gateways_has_a_status_for_each()
    {
        await Harness.ApplyAsync($$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: two-parents, namespace: {{Infra}}}
            spec:
              parentRefs: [{name: same-namespace}, {name: all-namespaces}]
              hostnames: ["two.example.com"]
              rules:
              - backendRefs: [{{Backend("infra-backend-v3")}}]
            """);

        await ExpectAsync("two.example.com", Case("/", "infra-backend-v3-0"));
        await Wait.UntilAsync(() => Harness.Server.Get(GatewayApi, "HTTPRoute", Infra, "two-parents")["status"]?["parents"] is JsonArray { Count: 2 } parents
                                    && parents.All(p => p!["conditions"]!.AsArray().Any(c => (string?)c!["type"] == "Accepted" && (string?)c["status"] == "True")),
            "both parents accepted the route");
    }

    [Fact]
    public async Task A_headless_Service_with_EndpointSlices_made_by_hand_is_a_backend()
    {
        var pod = (await Harness.ServiceAsync("headless-backend", 8080, ns: Infra))[0];
        Harness.Server.Patch("v1", "Service", Infra, "headless-backend", new JsonObject { ["spec"] = new JsonObject { ["clusterIP"] = "None" } });
        await Harness.ApplyAsync(Route("headless", Infra, "same-namespace", "headless.example.com", $"  - backendRefs: [{Backend("headless-backend")}]"));

        await ExpectAsync("headless.example.com", Case("/", "headless-backend-0"));
        Assert.True(pod.RequestCount > 0);
    }

    [Fact]
    public async Task A_redirect_filter_answers_with_its_status_and_location_and_a_header_modifier_reaches_the_backend()
    {
        await Harness.ApplyAsync(Route("redirect", Infra, "same-namespace", "redirect.example.com", """
              - filters:
                - type: RequestRedirect
                  requestRedirect: {hostname: example.org, statusCode: 301}
            """) + "\n---\n" + Route("modified", Infra, "same-namespace", "modified.example.com", $$"""
              - filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set: [{name: x-tier, value: gold}]
                    remove: [x-drop]
                backendRefs: [{{Backend("infra-backend-v1")}}]
            """));

        foreach (var client in Harness.Fleet.Proxies)
        {
            // A client that shows the redirect rather than following it.
            using var proxy = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = client.BaseAddress };
            await Wait.UntilAsync(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/some/path");
                request.Headers.Host = "redirect.example.com";
                using var response = await proxy.SendAsync(request);
                return response.StatusCode == HttpStatusCode.MovedPermanently && response.Headers.Location?.ToString() == "http://example.org/some/path";
            }, "the redirect answers 301 to example.org", 15);
        }
        await ExpectAsync("modified.example.com", Case("/", "infra-backend-v1-0"));
        using var modified = new HttpRequestMessage(HttpMethod.Get, "/");
        modified.Headers.Host = "modified.example.com";
        modified.Headers.Add("x-drop", "yes");
        modified.Headers.Add("x-tier", "bronze");
        using var answer = await Harness.Fleet.Proxies[0].SendAsync(modified);
        var headers = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["headers"]!;
        Assert.Equal("gold", (string?)headers["x-tier"]);
        Assert.Null(headers["x-drop"]);
    }
}
