using Gateway.Operator.Entities;
using Gateway.Operator.GatewayApi;
using Gateway.Operator.Sync;
using Gateway.Operator.Translation;
using Gateway.Operator.Translation.GatewayApi;

namespace Gateway.Operator.Tests.Sync;

public class GatewayApiStatusTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    static ApiGateway Edge() => new() { Metadata = new() { Name = "edge", NamespaceProperty = "default" }, Spec = new() };

    static KubernetesGateway Web(params Listener[] listeners) => new()
    {
        Metadata = new() { Name = "web", NamespaceProperty = "default", Generation = 3 },
        Spec = new() { GatewayClassName = "tollgate", Listeners = [.. listeners] },
    };

    static Condition? Of(IEnumerable<Condition>? conditions, string type) => conditions?.FirstOrDefault(c => c.Type == type);

    [Fact]
    public void A_class_whose_parameters_name_no_ApiGateway_is_not_accepted_and_claims_no_features()
    {
        var gatewayClass = new GatewayClass
        {
            Metadata = new() { Name = "tollgate", Generation = 2 },
            Spec = new() { ControllerName = GatewayBinding.ControllerName, ParametersRef = new() { Group = "tollgate.dev", Kind = "ApiGateway", Name = "gone", Namespace = "default" } },
        };

        var refused = GatewayApiStatus.ForClass(gatewayClass, [Edge()], Now);
        gatewayClass.Spec.ParametersRef.Name = "edge";
        var accepted = GatewayApiStatus.ForClass(gatewayClass, [Edge()], Now);

        Assert.Equal(("False", "InvalidParameters", 2L), (Of(refused.Conditions, "Accepted")!.Status, Of(refused.Conditions, "Accepted")!.Reason, Of(refused.Conditions, "Accepted")!.ObservedGeneration));
        Assert.Null(refused.SupportedFeatures);
        Assert.Equal("True", Of(accepted.Conditions, "Accepted")!.Status);
        Assert.Equal(GatewayApiStatus.SupportedFeatures, accepted.SupportedFeatures!.Select(f => f.Name));
        Assert.Equal(GatewayApiStatus.SupportedFeatures.Order(StringComparer.Ordinal), GatewayApiStatus.SupportedFeatures);
        Assert.Contains("HTTPRouteQueryParamMatching", GatewayApiStatus.SupportedFeatures);
    }

    [Fact]
    public void Listeners_on_ports_or_protocols_the_proxies_do_not_serve_say_so_and_the_rest_count_their_routes()
    {
        var gateway = Web(new Listener { Name = "http", Protocol = "HTTP", Port = 80 }, new Listener { Name = "alt", Protocol = "HTTP", Port = 8080 },
            new Listener { Name = "tcp", Protocol = "TCP", Port = 9000 });
        var route = new HttpRoute { Metadata = new() { Name = "foo", NamespaceProperty = "default" } };
        var parent = new ParentOutcome(0, new ParentReference { Name = "web" }, gateway, [new AttachedListener(gateway, gateway.Spec.Listeners![0], null)], RouteReasons.Accepted, "accepted");
        var outcome = new HttpRouteOutcome(route, new SourceResult(SourceObject.Of(route), []), [parent]);

        var status = GatewayApiStatus.ForGateway(gateway, new ServedGateways(Edge(), [gateway], [outcome], null, [new() { Ip = "203.0.113.5" }]), Now);

        var listeners = status.Listeners!.ToDictionary(l => l.Name);
        Assert.Equal(1, listeners["http"].AttachedRoutes);
        Assert.Equal("True", Of(listeners["http"].Conditions, "Programmed")!.Status);
        Assert.Equal("PortUnavailable", Of(listeners["alt"].Conditions, "Accepted")!.Reason);
        Assert.Equal("UnsupportedProtocol", Of(listeners["tcp"].Conditions, "Accepted")!.Reason);
        Assert.Empty(listeners["tcp"].SupportedKinds);
        Assert.Equal("True", Of(status.Conditions, "Programmed")!.Status);
        Assert.Equal(("IPAddress", "203.0.113.5"), (status.Addresses![0].Type, status.Addresses[0].Value));

        var pending = GatewayApiStatus.ForGateway(gateway, new ServedGateways(Edge(), [gateway], [outcome], "no ready proxy yet", []), Now);
        Assert.Equal(("False", "Pending"), (Of(pending.Conditions, "Programmed")!.Status, Of(pending.Conditions, "Programmed")!.Reason));
    }

    [Fact]
    public void A_listener_allowing_route_kinds_we_do_not_serve_says_InvalidRouteKinds_and_lists_only_HTTPRoute_if_allowed()
    {
        static Listener Allowing(string name, params string[] kinds) => new()
        {
            Name = name, Protocol = "HTTP", Port = 80,
            AllowedRoutes = new() { Kinds = [.. kinds.Select(k => new RouteGroupKind { Kind = k })] },
        };
        var gateway = Web(Allowing("invalid", "InvalidRoute"), Allowing("mixed", "InvalidRoute", "HTTPRoute"), Allowing("http", "HTTPRoute"), Allowing("any"));

        var status = GatewayApiStatus.ForGateway(gateway, new ServedGateways(Edge(), [gateway], [], null, []), Now);

        var listeners = status.Listeners!.ToDictionary(l => l.Name);
        foreach (var name in new[] { "invalid", "mixed" })
            Assert.Equal(("False", "InvalidRouteKinds", 3L), (Of(listeners[name].Conditions, "ResolvedRefs")!.Status, Of(listeners[name].Conditions, "ResolvedRefs")!.Reason, Of(listeners[name].Conditions, "ResolvedRefs")!.ObservedGeneration));
        foreach (var name in new[] { "http", "any" })
            Assert.Equal("True", Of(listeners[name].Conditions, "ResolvedRefs")!.Status);
        Assert.Empty(listeners["invalid"].SupportedKinds);
        foreach (var name in new[] { "mixed", "http", "any" })
            Assert.Equal("HTTPRoute", Assert.Single(listeners[name].SupportedKinds).Kind);
    }

    [Fact]
    public void A_routes_status_keeps_other_controllers_parents_and_drops_ours_it_no_longer_names()
    {
        var route = new HttpRoute
        {
            Metadata = new() { Name = "foo", NamespaceProperty = "default", Generation = 4 },
            Status = new()
            {
                Parents =
                [
                    new() { ParentRef = new() { Name = "theirs" }, ControllerName = "example.com/other", Conditions = [] },
                    new() { ParentRef = new() { Name = "old" }, ControllerName = GatewayBinding.ControllerName, Conditions = [] },
                ],
            },
        };
        var gateway = Web(new Listener { Name = "http", Protocol = "HTTP", Port = 80 });
        var outcome = new HttpRouteOutcome(route,
            new SourceResult(SourceObject.Of(route), [new Problem("spec.rules[0].backendRefs[0]", RouteReasons.BackendNotFound, "Service default/x not found")]),
            [new ParentOutcome(0, new ParentReference { Name = "web" }, gateway, [], RouteReasons.NoMatchingParent, "no listener named https")]);

        var status = GatewayApiStatus.ForRoute(route, outcome, Now);

        Assert.Equal(["theirs", "web"], status.Parents.Select(p => p.ParentRef.Name));
        var ours = status.Parents[1];
        Assert.Equal(("False", "NoMatchingParent", 4L), (Of(ours.Conditions, "Accepted")!.Status, Of(ours.Conditions, "Accepted")!.Reason, Of(ours.Conditions, "Accepted")!.ObservedGeneration));
        Assert.Equal(("False", "BackendNotFound"), (Of(ours.Conditions, "ResolvedRefs")!.Status, Of(ours.Conditions, "ResolvedRefs")!.Reason));
        Assert.Equal(["theirs"], GatewayApiStatus.ForRoute(route, null, Now).Parents.Select(p => p.ParentRef.Name));
    }

    [Fact]
    public void A_route_whose_rules_the_proxies_cannot_serve_is_not_accepted_and_one_with_some_left_is_partially_invalid()
    {
        var gateway = Web(new Listener { Name = "http", Protocol = "HTTP", Port = 80 });
        RouteStatus StatusWith(int rules, params Problem[] problems)
        {
            var route = new HttpRoute
            {
                Metadata = new() { Name = "mirror", NamespaceProperty = "default", Generation = 1 },
                Spec = new() { Rules = [.. Enumerable.Range(0, rules).Select(_ => new HttpRouteRule())] },
            };
            var parent = new ParentOutcome(0, new ParentReference { Name = "web" }, gateway, [], RouteReasons.Accepted, "accepted");
            return GatewayApiStatus.ForRoute(route, new HttpRouteOutcome(route, new SourceResult(SourceObject.Of(route), problems), [parent]), Now);
        }
        var mirror = new Problem("spec.rules[0].filters[0].type", RouteReasons.UnsupportedValue, "RequestMirror is not supported");

        var none = StatusWith(1, mirror).Parents.Single().Conditions;
        var some = StatusWith(2, mirror).Parents.Single().Conditions;

        Assert.Equal(("False", "UnsupportedValue"), (Of(none, "Accepted")!.Status, Of(none, "Accepted")!.Reason));
        Assert.Null(Of(none, "PartiallyInvalid"));
        Assert.Equal("True", Of(some, "Accepted")!.Status);
        Assert.Equal(("True", "UnsupportedValue"), (Of(some, "PartiallyInvalid")!.Status, Of(some, "PartiallyInvalid")!.Reason));
    }

    [Fact]
    public void An_HTTPS_listener_resolves_a_TLS_Secret_of_its_namespace_or_one_a_ReferenceGrant_lets_it_use()
    {
        ListenerTls Tls(string? ns) => new() { CertificateRefs = [new SecretObjectReference { Name = "cert", Namespace = ns }] };
        var tlsSecret = Translation.Cluster.TlsSecret("cert", "secure.example.com");
        tlsSecret.Metadata.NamespaceProperty = "certs";
        var grant = new ReferenceGrant
        {
            Metadata = new() { Name = "gateways", NamespaceProperty = "certs" },
            Spec = new()
            {
                From = [new() { Group = GatewayApiBundle.Group, Kind = "Gateway", Namespace = "default" }],
                To = [new() { Group = "", Kind = "Secret" }],
            },
        };
        string? Problem(ListenerTls? tls, params ReferenceGrant[] grants) => ProblemWith(tlsSecret, tls, grants);
        string? ProblemWith(V1Secret secret, ListenerTls? tls, params ReferenceGrant[] grants)
        {
            var listener = new Listener { Name = "https", Protocol = "HTTPS", Port = 443, Tls = tls };
            var served = new ServedGateways(Edge(), [], [], null, []) { Secrets = [secret], Grants = grants };
            return GatewayApiStatus.CertificateProblem(Web(listener), listener, served)?.Reason;
        }

        // Resolved: programmed once the ApiGateway has a TLS listener for the certificates to be served on.
        var https = new Listener { Name = "https", Protocol = "HTTPS", Port = 443, Tls = Tls("certs") };
        var withoutTls = GatewayApiStatus.ForGateway(Web(https), new ServedGateways(Edge(), [], [], null, []) { Secrets = [tlsSecret], Grants = [grant] }, Now);
        Assert.Equal("Pending", Of(withoutTls.Listeners![0].Conditions, "Programmed")!.Reason);
        Assert.Contains("spec.proxy.tls.secretName", Of(withoutTls.Listeners[0].Conditions, "Programmed")!.Message);
        var edge = Edge();
        edge.Spec.Proxy.Tls = new() { SecretName = "default-cert" };
        var withTls = GatewayApiStatus.ForGateway(Web(https), new ServedGateways(edge, [], [], null, []) { Secrets = [tlsSecret], Grants = [grant] }, Now);
        Assert.Equal("True", Of(withTls.Listeners![0].Conditions, "Programmed")!.Status);
        Assert.Equal("True", Of(withTls.Listeners[0].Conditions, "ResolvedRefs")!.Status);

        Assert.Equal("InvalidCertificateRef", Problem(null));
        Assert.Equal("InvalidCertificateRef", Problem(Tls(null))); // no Secret "cert" in the Gateway's own namespace
        Assert.Equal("RefNotPermitted", Problem(Tls("certs")));
        Assert.Null(Problem(Tls("certs"), grant));
        // A TLS Secret whose data is no PEM certificate and key is no certificate to serve.
        var malformed = Translation.Cluster.Secret("cert", "kubernetes.io/tls", "Hello world\n", "Hello world\n");
        malformed.Metadata.NamespaceProperty = "certs";
        Assert.Equal("InvalidCertificateRef", ProblemWith(malformed, Tls("certs"), grant));
    }
}
