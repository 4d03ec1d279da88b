using Gateway.Operator.Translation;
using static Gateway.Operator.Tests.Translation.Cluster;

namespace Gateway.Operator.Tests.Translation;

public sealed class BackendTranslationTests
{
    private static IEnumerable<string> Targets(TranslationOutput output) => output.Configuration.Targets.Select(t => t.Address);

    [Fact]
    public void Targets_are_the_ready_endpoints_not_terminating_ones()
    {
        var slice = Slice("api", "api-1", 8080, null,
            Endpoint("10.0.0.1"),
            Endpoint("10.0.0.2", ready: false),
            Endpoint("10.0.0.3", ready: true, terminating: true),
            Endpoint("10.0.0.4", ready: null));
        var output = Translate(Input([Ingress("api", Path("/", "api"))], [Service("api")], [slice]));

        Assert.Equal(["10.0.0.1:8080", "10.0.0.4:8080"], Targets(output));
        var upstream = Assert.Single(output.Configuration.Upstreams);
        Assert.Equal("api.default.80.svc", upstream.Name);
        Assert.Equal(upstream.Name, Assert.Single(output.Configuration.Services).Host);
    }

    [Fact]
    public void Endpoints_come_from_every_slice_of_the_service_on_the_port_the_backend_names()
    {
        var service = Service("api", 80, "http");
        service.Spec.Ports.Add(new() { Name = "metrics", Port = 9090, TargetPort = 9090 });
        var first = Slice("api", "api-1", 8080, "http", Endpoint("10.0.0.1"));
        first.Ports.Add(new() { Name = "metrics", Port = 9100 });
        var second = Slice("api", "api-2", 8080, "http", Endpoint("fd00::2"), Endpoint("10.0.0.1"));
        var others = Slice("other", "other-1", 8080, "http", Endpoint("10.9.9.9"));
        var ingress = Ingress("api", new V1HTTPIngressPath
        {
            Path = "/",
            PathType = "Prefix",
            Backend = new() { Service = new() { Name = "api", Port = new() { Name = "http" } } },
        });

        var output = Translate(Input([ingress], [service], [first, second, others]));

        Assert.Equal(["10.0.0.1:8080", "[fd00::2]:8080"], Targets(output));
    }

    [Fact]
    public void Service_upstream_sends_to_the_cluster_dns_name()
    {
        foreach (var key in new[] { "tollgate.dev/service-upstream", "ingress.kubernetes.io/service-upstream" })
        {
            var output = Translate(Input([Ingress("api", Path("/", "api"))], [Service("api").Annotated(key, "true")],
                [Slice("api", "api-1", 8080, null, Endpoint("10.0.0.1"))]));

            Assert.Equal(["api.default.svc:80"], Targets(output));
        }
    }

    [Fact]
    public void An_external_name_service_targets_its_external_name()
    {
        var external = new V1Service
        {
            Metadata = new() { Name = "partner", NamespaceProperty = "default" },
            Spec = new() { Type = "ExternalName", ExternalName = "api.partner.example" },
        };
        var output = Translate(Input([Ingress("api", Path("/", "partner", port: 443))], [external]));

        Assert.Equal(["api.partner.example:443"], Targets(output));
        Assert.True(output.ResultFor("Service", "partner").Programmed);
    }

    private static V1Service Partner(params V1ServicePort[] ports) => new()
    {
        Metadata = new() { Name = "partner", NamespaceProperty = "default" },
        Spec = new() { Type = "ExternalName", ExternalName = "api.partner.example", Ports = ports },
    };

    private static V1HTTPIngressPath NamedPort(string path, string port) => new()
    {
        Path = path,
        PathType = "Prefix",
        Backend = new() { Service = new() { Name = "partner", Port = new() { Name = port } } },
    };

    [Fact]
    public void An_external_name_service_port_named_by_the_backend_is_the_port_the_service_lists_under_that_name()
    {
        var output = Translate(Input([Ingress("api", NamedPort("/", "https"))], [Partner(new V1ServicePort { Name = "https", Port = 8443, TargetPort = 443 })]));

        Assert.Equal(["api.partner.example:8443"], Targets(output));
        Assert.Equal(8443, Assert.Single(output.Configuration.Services).Port);
        Assert.True(output.ResultFor("Ingress", "api").Programmed);
    }

    [Fact]
    public void An_external_name_service_port_named_but_not_listed_fails_that_path_saying_how_to_name_it()
    {
        var output = Translate(Input([Ingress("api", NamedPort("/named", "https"), Path("/numbered", "partner", port: 443))], [Partner()]));

        Assert.Equal(["api.partner.example:443"], Targets(output));
        var problem = Assert.Single(output.ResultFor("Ingress", "api").Problems);
        Assert.Equal(ProblemReasons.BackendNotFound, problem.Reason);
        Assert.Equal("spec.rules[0].http.paths[0].backend.service.port: ExternalName Service \"default/partner\" lists no port named \"https\": "
                     + "name the port by number, or list it under that name in the Service's spec.ports", problem.ToString());
    }

    [Fact]
    public void A_service_shared_by_two_ingresses_is_one_kong_service()
    {
        var output = Translate(Input([Ingress("a", Path("/a", "api")), Ingress("b", Path("/b", "api"))], [Service("api")],
            [Slice("api", "api-1", 8080, null, Endpoint("10.0.0.1"))]));

        Assert.Single(output.Configuration.Services);
        Assert.Single(output.Configuration.Upstreams);
        Assert.Single(output.Configuration.Targets);
        Assert.Single(output.Results, r => r.Source.Kind == "Service");
    }

    [Fact]
    public void Services_no_ingress_routes_to_are_not_translated()
    {
        var output = Translate(Input([Ingress("api", Path("/", "api"))], [Service("api"), Service("unused")]));

        Assert.DoesNotContain(output.Results, r => r.Source.Name == "unused");
        Assert.Single(output.Configuration.Services);
    }
}
