using System.Text.Json.Nodes;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>
/// The conformance suite's invalid-reference, observedGeneration, listener-change and stale-parent cases: what the
/// routes and Gateways say, and what the proxies answer. Gateways and routes here are named refs-* and use hostnames
/// under refs.example.com.
/// </summary>
public partial class GatewayApiConformanceTests
{
    const string WebBackend = "gateway-conformance-web-backend";

    // A route of one rule sending everything to the one backend given (YAML flow mapping).
    static string RouteTo(string name, string ns, string parentRef, string host, string backend) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: {{name}}, namespace: {{ns}}}
        spec:
          parentRefs: [{{parentRef}}]
          hostnames: ["{{host}}"]
          rules:
          - backendRefs: [{{backend}}]
        """;

    // A Gateway of the infra namespace with the listeners given (YAML list items, indented by two).
    static string GatewayWith(string name, string listeners) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: {{name}}, namespace: {{Infra}}}
        spec:
          gatewayClassName: tollgate
          listeners:
        {{listeners}}
        """;

    JsonNode? RouteParent(string ns, string route, string gateway) =>
        Harness.Server.TryGet(GatewayApi, "HTTPRoute", ns, route)?["status"]?["parents"]?.AsArray()
            .FirstOrDefault(p => (string?)p!["parentRef"]!["name"] == gateway);

    JsonNode Gateway(string name) => Harness.Server.Get(GatewayApi, "Gateway", Infra, name);

    JsonNode? RouteStatus(string ns, string route) => Harness.Server.Get(GatewayApi, "HTTPRoute", ns, route)["status"];

    // Waits up to 30 s for the condition; a timeout shows what was seen at the end.
    static Task UntilAsync(Func<bool> condition, string what, Func<JsonNode?> seen) =>
        Wait.UntilAsync(condition, () => $"{what} (last seen: {seen()?.ToJsonString()})", 30);

    static bool Has(JsonNode? conditions, string type, string status, string? reason = null) =>
        conditions?.AsArray().Any(c => (string?)c!["type"] == type && (string?)c["status"] == status && (reason is null || (string?)c["reason"] == reason)) == true;

    // The conditions whose observedGeneration is not the object's generation, as text for a failure message.
    static string[] Stale(JsonNode target, IEnumerable<JsonNode?> conditions)
    {
        var generation = (long?)target["metadata"]!["generation"];
        return [.. conditions.Where(c => (long?)c!["observedGeneration"] != generation).Select(c => $"{c!["type"]}@{c["observedGeneration"]}")];
    }

    static IEnumerable<JsonNode?> GatewayConditions(JsonNode gateway) =>
        (gateway["status"]?["conditions"]?.AsArray() ?? []).Concat(
            (gateway["status"]?["listeners"]?.AsArray() ?? []).SelectMany(l => l!["conditions"]?.AsArray() ?? []));

    // Waits until the Gateway's listeners are those named, each Accepted and ResolvedRefs with the routes counted,
    // and every condition of the Gateway observes its generation.
    Task UntilListenersAsync(string gateway, int attachedRoutes, params string[] names) =>
        UntilAsync(() =>
        {
            var current = Gateway(gateway);
            var listeners = current["status"]?["listeners"]?.AsArray() ?? [];
            return listeners.Select(l => (string?)l!["name"]).Order().SequenceEqual(names.Order())
                   && listeners.All(l => (int?)l!["attachedRoutes"] == attachedRoutes
                                         && Has(l["conditions"], "Accepted", "True") && Has(l["conditions"], "ResolvedRefs", "True"))
                   && GatewayConditions(current).Any() && Stale(current, GatewayConditions(current)).Length == 0;
        }, $"Gateway {gateway} has listeners [{string.Join(", ", names)}] with {attachedRoutes} route(s) each, all conditions current",
            () => Gateway(gateway)["status"]);

    // A Service in a namespace no ReferenceGrant ever names, as the suite's web-backend.
    async Task WebBackendAsync()
    {
        if (Harness.Server.TryGet("v1", "Namespace", null, WebBackend) is not null) return;
        Harness.Server.Create("v1", "Namespace", null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = WebBackend } });
        await Harness.ServiceAsync("web-backend", 8080, ns: WebBackend);
    }

    [Theory] // HTTPRouteInvalidBackendRefUnknownKind, HTTPRouteInvalidNonExistentBackendRef, HTTPRouteInvalidCrossNamespaceBackendRef
    [InlineData("refs-unknown-kind", "{group: unknownkind.example.com, kind: NonExistent, name: infra-backend-v1, port: 8080}", "InvalidKind")]
    [InlineData("refs-nonexistent", "{name: nonexistent, namespace: gateway-conformance-infra, port: 8080}", "BackendNotFound")]
    [InlineData("refs-cross-namespace", "{name: web-backend, namespace: gateway-conformance-web-backend, port: 8080}", "RefNotPermitted")]
    public async Task A_rule_whose_only_backend_is_invalid_is_accepted_says_why_in_ResolvedRefs_and_answers_500(string name, string backend, string reason)
    {
        await WebBackendAsync();
        var host = $"{name}.refs.example.com";
        await Harness.ApplyAsync(RouteTo(name, Infra, "{name: same-namespace}", host, backend));

        await UntilParentAsync(Infra, name, "ResolvedRefs", "False", reason);
        await UntilParentAsync(Infra, name, "Accepted", "True", "Accepted");
        await ExpectAsync(host, Case("/", "500"), Case("/v2", "500"));
    }

    [Fact] // HTTPRouteNoBackendRefs
    public async Task A_rule_with_omitted_or_empty_backendRefs_answers_500()
    {
        await Harness.ApplyAsync(Route("refs-no-backends", Infra, "same-namespace", "no-backends.refs.example.com", $"""
              - matches: [{"{"}path: {"{"}type: Exact, value: /omitted-no-forward{"}"}{"}"}]
              - matches: [{"{"}path: {"{"}type: Exact, value: /empty-no-forward{"}"}{"}"}]
                backendRefs: []
              - matches: [{"{"}path: {"{"}type: PathPrefix, value: /{"}"}{"}"}]
                backendRefs: [{Backend("infra-backend-v1")}]
            """));

        await ExpectAsync("no-backends.refs.example.com",
            Case("/forward", "infra-backend-v1-0"), Case("/omitted-no-forward", "500"), Case("/empty-no-forward", "500"));
        await UntilParentAsync(Infra, "refs-no-backends", "Accepted", "True", "Accepted");
        await UntilParentAsync(Infra, "refs-no-backends", "ResolvedRefs", "True", "ResolvedRefs");
    }

    // Gateways no route of these tests can attach to: one listener admitting routes of its own namespace, a TLS
    // listener admitting TLSRoutes only, and HTTP listeners allowing a route kind that does not exist, alone or beside HTTPRoute.
    Task InvalidParentGatewaysAsync() => Harness.ApplyAsync(GatewayWith("refs-parent", """
          - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: Same}}}
        """) + "\n---\n" + GatewayWith("refs-tlsroutes-only", """
          - name: tls
            protocol: TLS
            port: 443
            tls: {mode: Passthrough}
            allowedRoutes: {namespaces: {from: Same}, kinds: [{kind: TLSRoute}]}
        """) + "\n---\n" + GatewayWith("refs-only-invalid-route-kind", """
          - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: Same}, kinds: [{kind: InvalidRoute}]}}
        """) + "\n---\n" + GatewayWith("refs-supported-and-invalid-route-kind", """
          - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: Same}, kinds: [{kind: InvalidRoute}, {kind: HTTPRoute}]}}
        """));

    [Theory] // HTTPRouteInvalidCrossNamespaceParentRef, HTTPRouteInvalidParentRefNotMatchingListenerPort, HTTPRouteInvalidParentRefNotMatchingSectionName, HTTPRouteDisallowedKind
    [InlineData("refs-cross-namespace-parent", App, "refs-parent", ", namespace: gateway-conformance-infra", "NotAllowedByListeners")]
    [InlineData("refs-listener-port", Infra, "refs-parent", ", port: 81", "NoMatchingParent")]
    [InlineData("refs-section-name", Infra, "refs-parent", ", port: 80, sectionName: http1", "NoMatchingParent")]
    [InlineData("refs-disallowed-kind", Infra, "refs-tlsroutes-only", "", "NotAllowedByListeners")]
    [InlineData("refs-disallowed-kind-http", Infra, "refs-only-invalid-route-kind", "", "NotAllowedByListeners")]
    public async Task A_route_no_listener_of_its_parent_admits_is_not_accepted_not_counted_and_not_served(string name, string ns, string gateway, string parentFields, string reason)
    {
        await InvalidParentGatewaysAsync();
        var host = $"{name}.refs.example.com";
        await Harness.ApplyAsync(RouteTo(name, ns, $"{{name: {gateway}{parentFields}}}", host, Backend(ns == App ? "app-backend-v1" : "infra-backend-v1")));

        await UntilParentAsync(ns, name, "Accepted", "False", reason);
        await UntilParentAsync(ns, name, "ResolvedRefs", "True", "ResolvedRefs");
        Assert.Single(Harness.Server.Get(GatewayApi, "HTTPRoute", ns, name)["status"]!["parents"]!.AsArray());
        await UntilAsync(() => Gateway(gateway)["status"]?["listeners"]?.AsArray() is { Count: 1 } listeners && (int?)listeners[0]!["attachedRoutes"] == 0,
            $"Gateway {gateway} counts no attached route", () => Gateway(gateway)["status"]);
        await ExpectAsync(host, Case("/", "404"));
    }

    [Fact] // GatewayInvalidRouteKind
    public async Task A_listener_allowing_a_route_kind_it_cannot_serve_says_InvalidRouteKinds_and_lists_the_kinds_it_serves()
    {
        await InvalidParentGatewaysAsync();

        foreach (var (gateway, supported) in new[] { ("refs-only-invalid-route-kind", ""), ("refs-supported-and-invalid-route-kind", "HTTPRoute") })
            await UntilAsync(() => Gateway(gateway)["status"]?["listeners"]?.AsArray() is [var listener]
                                   && Has(listener!["conditions"], "ResolvedRefs", "False", "InvalidRouteKinds")
                                   && string.Join(",", listener["supportedKinds"]!.AsArray().Select(k => (string?)k!["kind"])) == supported
                                   && (int?)listener["attachedRoutes"] == 0,
                $"the listener of Gateway {gateway} has ResolvedRefs=False InvalidRouteKinds and supportedKinds [{supported}]", () => Gateway(gateway)["status"]);
    }

    [Fact] // HTTPRouteObservedGenerationBump
    public async Task Every_condition_of_a_changed_route_observes_its_new_generation()
    {
        const string host = "generation-bump.refs.example.com";
        await Harness.ApplyAsync(RouteTo("refs-generation-bump", Infra, "{name: same-namespace}", host, Backend("infra-backend-v1")));
        await ExpectAsync(host, Case("/", "infra-backend-v1-0"));
        var original = (long)Harness.Server.Get(GatewayApi, "HTTPRoute", Infra, "refs-generation-bump")["metadata"]!["generation"]!;

        await Harness.ApplyAsync(RouteTo("refs-generation-bump", Infra, "{name: same-namespace}", host, Backend("infra-backend-v2")));
        await ExpectAsync(host, Case("/", "infra-backend-v2-0"));
        await UntilAsync(() =>
        {
            var route = Harness.Server.Get(GatewayApi, "HTTPRoute", Infra, "refs-generation-bump");
            var conditions = RouteParent(Infra, "refs-generation-bump", "same-namespace")?["conditions"];
            return (long?)route["metadata"]!["generation"] > original
                   && Has(conditions, "Accepted", "True") && Has(conditions, "ResolvedRefs", "True")
                   && Stale(route, conditions!.AsArray()).Length == 0;
        }, "every condition observes the new generation", () => Harness.Server.Get(GatewayApi, "HTTPRoute", Infra, "refs-generation-bump"));
    }

    [Fact] // GatewayObservedGenerationBump
    public async Task Every_condition_of_a_changed_Gateway_and_of_its_listeners_observes_its_new_generation()
    {
        const string first = "  - {name: http, hostname: bar.refs.example.com, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}";
        await Harness.ApplyAsync(GatewayWith("refs-generation", first));
        await UntilListenersAsync("refs-generation", 0, "http");
        var original = (long)Gateway("refs-generation")["metadata"]!["generation"]!;

        await Harness.ApplyAsync(GatewayWith("refs-generation", first + """

              - {name: alternate, hostname: foo.refs.example.com, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
            """));
        await UntilListenersAsync("refs-generation", 0, "http", "alternate");
        Assert.True((long)Gateway("refs-generation")["metadata"]!["generation"]! > original);
    }

    // The https listener of the listener-change tests: a certificate of its own, in a Secret beside the Gateway.
    string SecureListener(string host)
    {
        const string secret = "refs-listener-cert";
        if (Harness.Server.TryGet("v1", "Secret", Infra, secret) is null)
        {
            var made = Translation.Cluster.TlsSecret(secret, "secure.refs.example.com", "*.refs.example.com");
            Harness.Server.Create("v1", "Secret", Infra, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = secret },
                ["type"] = "kubernetes.io/tls",
                ["data"] = new JsonObject { ["tls.crt"] = Convert.ToBase64String(made.Data["tls.crt"]), ["tls.key"] = Convert.ToBase64String(made.Data["tls.key"]) },
            });
        }
        return $$$"""
              - name: https
                port: 443
                protocol: HTTPS
                hostname: {{{host}}}
                allowedRoutes: {namespaces: {from: All}}
                tls: {certificateRefs: [{group: "", kind: Secret, name: {{{secret}}}, namespace: {{{Infra}}}}]}
            """;
    }

    // A route without hostnames of its own: it serves the hostnames of the listeners it attaches to.
    static string ListenerRoute(string gateway) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: {{gateway}}, namespace: {{Infra}}}
        spec:
          parentRefs: [{kind: Gateway, name: {{gateway}}, namespace: {{Infra}}}]
          rules:
          - backendRefs: [{name: infra-backend-v1, port: 8080}]
        """;

    [Fact] // GatewayModifyListeners, "should be able to add a listener that then becomes available for routing traffic"
    public async Task A_listener_added_to_a_Gateway_counts_its_routes_and_serves_them()
    {
        var https = SecureListener("secure.add.refs.example.com");
        await Harness.ApplyAsync(GatewayWith("refs-add-listener", https) + "\n---\n" + ListenerRoute("refs-add-listener"));
        await UntilListenersAsync("refs-add-listener", 1, "https");
        await ExpectAsync("data.add.refs.example.com", Case("/", "404"));

        await Harness.ApplyAsync(GatewayWith("refs-add-listener", https + """

              - {name: http, port: 80, protocol: HTTP, hostname: data.add.refs.example.com, allowedRoutes: {namespaces: {from: All}}}
            """));
        await UntilListenersAsync("refs-add-listener", 1, "https", "http");
        await ExpectAsync("data.add.refs.example.com", Case("/", "infra-backend-v1-0"));
    }

    [Fact] // GatewayModifyListeners, "should be able to remove listeners, which would then stop routing the relevant traffic"
    public async Task A_listener_removed_from_a_Gateway_leaves_its_status_and_the_remaining_listener_keeps_its_routes()
    {
        const string http = "  - {name: http, port: 80, protocol: HTTP, hostname: remove.refs.example.com, allowedRoutes: {namespaces: {from: All}}}";
        await Harness.ApplyAsync(GatewayWith("refs-remove-listener", SecureListener("secure.remove.refs.example.com") + "\n" + http)
                                 + "\n---\n" + ListenerRoute("refs-remove-listener"));
        await UntilListenersAsync("refs-remove-listener", 1, "https", "http");
        await ExpectAsync("remove.refs.example.com", Case("/", "infra-backend-v1-0"));

        await Harness.ApplyAsync(GatewayWith("refs-remove-listener", http));
        await UntilListenersAsync("refs-remove-listener", 1, "http");
        await ExpectAsync("remove.refs.example.com", Case("/", "infra-backend-v1-0"));
    }

    [Fact]
    public async Task A_parentRef_taken_away_takes_its_status_entry_and_its_attachment_with_it()
    {
        const string host = "stale.refs.example.com";
        await Harness.ApplyAsync(GatewayWith("refs-second", "  - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: Same}}}")
                                 + "\n---\n" + RouteTo("refs-stale", Infra, "{name: same-namespace}, {name: refs-second}", host, Backend("infra-backend-v1")));
        await UntilAsync(() => Has(RouteParent(Infra, "refs-stale", "same-namespace")?["conditions"], "Accepted", "True")
                                    && Has(RouteParent(Infra, "refs-stale", "refs-second")?["conditions"], "Accepted", "True")
                                    && (int?)Gateway("refs-second")["status"]?["listeners"]?[0]?["attachedRoutes"] == 1,
            "both parents accepted the route", () => RouteStatus(Infra, "refs-stale"));

        await Harness.ApplyAsync(RouteTo("refs-stale", Infra, "{name: same-namespace}", host, Backend("infra-backend-v1")));
        await UntilAsync(() => RouteStatus(Infra, "refs-stale")?["parents"] is JsonArray { Count: 1 } parents
                                    && (string?)parents[0]!["parentRef"]!["name"] == "same-namespace"
                                    && (int?)Gateway("refs-second")["status"]?["listeners"]?[0]?["attachedRoutes"] == 0,
            "only the remaining parent has a status entry and the other Gateway counts no route", () => RouteStatus(Infra, "refs-stale"));
        await ExpectAsync(host, Case("/", "infra-backend-v1-0"));
    }

    [Fact] // HTTPRouteRequestMirror, HTTPRouteRequestMultipleMirrors
    public async Task A_RequestMirror_filter_copies_each_request_to_its_backend_while_the_rule_answers()
    {
        var trace = Guid.NewGuid().ToString("N");
        await Harness.ApplyAsync(Route("refs-mirror", Infra, "same-namespace", "mirror.refs.example.com", $"""
              - matches: [{"{"}path: {"{"}type: PathPrefix, value: /mirror{"}"}{"}"}]
                filters:
                - type: RequestMirror
                  requestMirror: {"{"}backendRef: {"{"}name: infra-backend-v2, namespace: gateway-conformance-infra, port: 8080{"}"}{"}"}
                backendRefs: [{Backend("infra-backend-v1")}]
            """) + "\n---\n" + Route("refs-mirror-twice", Infra, "same-namespace", "mirror-twice.refs.example.com", """
              - filters:
                - type: RequestMirror
                  requestMirror: {backendRef: {name: infra-backend-v2, port: 8080}}
                - type: RequestMirror
                  requestMirror: {backendRef: {name: infra-backend-v3, port: 8080}}
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            """));

        await ExpectAsync("mirror.refs.example.com", Case("/mirror", "infra-backend-v1-0"));
        await UntilParentAsync(Infra, "refs-mirror", "Accepted", "True", "Accepted");
        await UntilParentAsync(Infra, "refs-mirror", "ResolvedRefs", "True", "ResolvedRefs");
        foreach (var proxy in Harness.Fleet.Proxies)
            Assert.Equal("infra-backend-v1-0", await AnswerAsync(proxy, "mirror.refs.example.com", "/mirror/copied", ("x-trace", trace)));
        var mirror = cluster.Backends["infra-backend-v2"][0];
        await UntilAsync(() => mirror.Received.Count(r => r.Target == "/mirror/copied" && r.Headers.GetValueOrDefault("x-trace") == trace) == Harness.Fleet.Proxies.Count,
            "infra-backend-v2 received a copy through each proxy", () => null);

        // HTTPRouteRequestMultipleMirrors: each mirror of a rule gets its copy.
        await ExpectAsync("mirror-twice.refs.example.com", Case("/", "infra-backend-v1-0"));
        Assert.Equal("infra-backend-v1-0", await AnswerAsync(Harness.Fleet.Proxies[0], "mirror-twice.refs.example.com", "/twice", ("x-trace", trace)));
        foreach (var backend in new[] { "infra-backend-v2", "infra-backend-v3" })
        {
            var copies = cluster.Backends[backend][0];
            await UntilAsync(() => copies.Received.Any(r => r.Target == "/twice" && r.Headers.GetValueOrDefault("x-trace") == trace),
                $"{backend} received a copy", () => null);
        }
    }
}
