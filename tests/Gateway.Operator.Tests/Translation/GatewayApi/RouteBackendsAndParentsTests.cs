using Gateway.Operator.GatewayApi;
using Gateway.Operator.Translation;
using Gateway.Operator.Translation.GatewayApi;
using static Gateway.Operator.Tests.Translation.Cluster;
using static Gateway.Operator.Tests.Translation.GatewayApi.GatewayApiObjects;

namespace Gateway.Operator.Tests.Translation.GatewayApi;

/// <summary>Weighted backendRefs, invalid and cross-namespace backends, and where each parentRef of a route attaches.</summary>
public sealed class RouteBackendsAndParentsTests
{
    private static readonly V1Service[] Services = [Service("web"), Service("api")];

    private static readonly V1EndpointSlice[] Slices =
    [
        Slice("web", "web-1", 8080, null, Endpoint("10.0.0.1"), Endpoint("10.0.0.2"), Endpoint("10.0.0.3")),
        Slice("api", "api-1", 9000, null, Endpoint("10.0.1.1")),
    ];

    private static Dictionary<string, int> Weights(TranslationOutput output, string routeName)
    {
        var service = output.ServiceOf(output.Route(routeName));
        var upstream = output.Configuration.Upstreams.Single(u => u.Name == service.Host);
        return output.Configuration.Targets.Where(t => t.Upstream.Id == upstream.Id).ToDictionary(t => t.Address, t => t.Weight);
    }

    [Fact]
    public void Weights_split_a_rule_between_services_whatever_their_endpoint_counts()
    {
        var output = Cluster.Translate(Input([GatewayWith("gw", Http())], [Route("split", Rule(null, To("web", weight: 3), To("api", weight: 1)))], Services, Slices));

        var weights = Weights(output, "default.split.0.0.0");
        var web = weights.Where(w => w.Key.StartsWith("10.0.0.")).Sum(w => w.Value);
        Assert.Equal(3.0, (double)web / weights["10.0.1.1:9000"], 2);
        Assert.True(Table(output).Routed("/") is not null);
    }

    [Fact]
    public void A_backend_of_weight_zero_gets_no_target()
    {
        var output = Cluster.Translate(Input([GatewayWith("gw", Http())], [Route("dark", Rule(null, To("web"), To("api", weight: 0)))], Services, Slices));

        Assert.Equal(["10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080"], Weights(output, "default.dark.0.0.0").Keys.Order());
        Assert.True(output.ResultFor("HTTPRoute", "dark").Programmed);
    }

    [Theory]
    [InlineData("missing", null, null, "BackendNotFound", "spec.rules[0].backendRefs[1]")]
    [InlineData("web", "example.com", "Widget", "InvalidKind", "spec.rules[0].backendRefs[1]")]
    [InlineData("web", null, null, "RefNotPermitted", "spec.rules[0].backendRefs[1].namespace")]
    public void An_unusable_backend_is_reported_with_the_specs_reason_and_gets_no_share(string name, string? group, string? kind, string reason, string field)
    {
        var bad = To(name, weight: 1, ns: reason == "RefNotPermitted" ? "other" : null);
        bad.Group = group;
        bad.Kind = kind;
        var output = Cluster.Translate(Input([GatewayWith("gw", Http())], [Route("partly", Rule(null, To("api"), bad))], Services, Slices));

        var problem = Assert.Single(output.ResultFor("HTTPRoute", "partly").Problems);
        Assert.Equal((field, reason), (problem.Field, problem.Reason));
        Assert.Equal(["10.0.1.1:9000"], Weights(output, "default.partly.0.0.0").Keys);
    }

    [Fact]
    public void A_reference_grant_lets_a_route_send_to_a_service_of_another_namespace()
    {
        var remote = Service("shared");
        remote.Metadata.NamespaceProperty = "other";
        var slice = Slice("shared", "shared-1", 5000, null, Endpoint("10.0.9.1"));
        slice.Metadata.NamespaceProperty = "other";
        var grant = new ReferenceGrant
        {
            Metadata = new() { Name = "routes-from-default", NamespaceProperty = "other" },
            Spec = new()
            {
                From = [new() { Group = GatewayApiBundle.Group, Kind = "HTTPRoute", Namespace = "default" }],
                To = [new() { Group = "", Kind = "Service", Name = "shared" }],
            },
        };
        var route = Route("cross", Rule(null, To("shared", ns: "other")));

        var granted = Cluster.Translate(Input([GatewayWith("gw", Http())], [route], [remote], [slice], [grant]));
        var refused = Cluster.Translate(Input([GatewayWith("gw", Http())], [route], [remote], [slice]));

        Assert.True(granted.ResultFor("HTTPRoute", "cross").Programmed);
        Assert.Equal(["10.0.9.1:5000"], Weights(granted, "default.cross.0.0.0").Keys);
        Assert.Equal("RefNotPermitted", refused.ResultFor("HTTPRoute", "cross").Reason);
        Assert.Empty(Weights(refused, "default.cross.0.0.0"));
    }

    [Theory]
    [InlineData("https", null, null, "NoMatchingParent")]
    [InlineData(null, 8080, null, "NoMatchingParent")]
    [InlineData("http", 80, null, "Accepted")]
    [InlineData("http", null, "other.org", "NoMatchingListenerHostname")]
    public void Each_parent_ref_attaches_by_section_name_port_and_hostname(string? section, int? port, string? hostname, string reason)
    {
        var route = Route("site", Rule(null, To("web")));
        route.Spec.ParentRefs = [new() { Name = "gw", SectionName = section, Port = port }];
        if (hostname is not null) route.WithHostnames(hostname);

        var output = Cluster.Translate(Input([GatewayWith("gw", Http(hostname: "*.example.com"))], [route], Services, Slices));

        var parent = Assert.Single(Assert.Single(output.HttpRoutes).Parents);
        Assert.Equal(reason, parent.Reason);
        Assert.Equal(reason == RouteReasons.Accepted, output.Configuration.Routes.Count == 1);
    }

    [Fact]
    public void A_listener_takes_routes_of_other_namespaces_only_when_its_allowed_routes_say_so()
    {
        var route = Route("site", Rule(null, To("web")));
        route.Metadata.NamespaceProperty = "team";
        route.Spec.ParentRefs = [new() { Name = "gw", Namespace = "default" }];
        var selecting = Http(from: "Selector");
        selecting.AllowedRoutes!.Namespaces!.Selector = new() { MatchLabels = new() { ["shared"] = "true" } };
        var labelled = new V1Namespace { Metadata = new() { Name = "team", Labels = new Dictionary<string, string> { ["shared"] = "true" } } };

        string Reason(Listener listener, params V1Namespace[] namespaces) =>
            Cluster.Translate(Input([GatewayWith("gw", listener)], [route], Services, Slices, namespaces: namespaces)).HttpRoutes.Single().Parents.Single().Reason;

        Assert.Equal("NotAllowedByListeners", Reason(Http()));
        Assert.Equal("Accepted", Reason(Http(from: "All")));
        Assert.Equal("Accepted", Reason(selecting, labelled));
        Assert.Equal("NotAllowedByListeners", Reason(selecting));
    }
}
