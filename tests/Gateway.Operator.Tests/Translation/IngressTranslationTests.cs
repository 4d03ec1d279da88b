using Gateway.Operator.Translation;
using static Gateway.Operator.Tests.Translation.Cluster;

namespace Gateway.Operator.Tests.Translation;

public sealed class IngressTranslationTests
{
    // Seed 004's manifests as a Kong Ingress Controller user applies them: only the class differs, since "kong" is
    // the class those clusters' IngressClass had; here an IngressClass of that name is ours.
    private const string Seed004 = """
        apiVersion: v1
        kind: Service
        metadata:
          name: foo-service
          namespace: default
          labels:
            app: foo-service
        spec:
          ports:
          - port: 5000
            name: http
            targetPort: 5000
          selector:
            app: foo
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: bar-service
          namespace: default
        spec:
          ports:
          - port: 5000
            name: http
            targetPort: 5000
          selector:
            app: bar
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: foo
          namespace: default
          annotations:
            kubernetes.io/ingress.class: kong
        spec:
          rules:
          - http:
              paths:
              - path: /foo
                pathType: Prefix
                backend:
                  service:
                    name: foo-service
                    port:
                      number: 5000
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: bar
          namespace: default
          annotations:
            kubernetes.io/ingress.class: kong
        spec:
          rules:
          - http:
              paths:
              - path: /bar
                pathType: Prefix
                backend:
                  service:
                    name: bar-service
                    port:
                      number: 5000
        """;

    [Fact]
    public void Seed004_routes_foo_and_bar_to_their_services_without_stripping_the_path()
    {
        var objects = k8s.KubernetesYaml.LoadAllFromString(Seed004);
        var input = new TranslationInput
        {
            GatewayNamespace = "gateways",
            GatewayName = "edge",
            IngressClassName = "kong",
            IngressClasses = [IngressClass("kong")],
            Ingresses = [.. objects.OfType<V1Ingress>()],
            Services = [.. objects.OfType<V1Service>()],
            EndpointSlices =
            [
                Slice("foo-service", "foo-service-abc", 5000, "http", Endpoint("10.0.0.1"), Endpoint("10.0.0.2")),
                Slice("bar-service", "bar-service-abc", 5000, "http", Endpoint("10.0.1.1")),
            ],
        };

        var output = Translate(input);

        var foo = output.Route("default.foo._foo");
        Assert.Equal(["~/foo$", "/foo/"], foo.Paths);
        Assert.False(foo.StripPath);
        Assert.True(foo.PreserveHost);
        Assert.Null(foo.Hosts);
        Assert.Equal("default.foo-service.5000", output.ServiceOf(foo).Name);
        var bar = output.Route("default.bar._bar");
        Assert.Equal(["~/bar$", "/bar/"], bar.Paths);
        Assert.False(bar.StripPath);
        Assert.Equal("default.bar-service.5000", output.ServiceOf(bar).Name);
        Assert.Equal(2, output.Configuration.Routes.Count);

        var fooUpstream = output.Configuration.Upstreams.Single(u => u.Name == output.ServiceOf(foo).Host);
        Assert.Equal(["10.0.0.1:5000", "10.0.0.2:5000"],
            output.Configuration.Targets.Where(t => t.Upstream.Id == fooUpstream.Id).Select(t => t.Address));
        Assert.All(output.Results, r => Assert.True(r.Programmed, r.Message));
        Assert.Equal(["Ingress default/bar", "Ingress default/foo", "Service default/bar-service", "Service default/foo-service"],
            output.Results.Select(r => r.Source.ToString()));
    }

    [Theory]
    [InlineData("Exact", "/foo", new[] { "~/foo$" })]
    [InlineData("Exact", "/v1.0/users", new[] { "~/v1\\.0/users$" })]
    [InlineData("Prefix", "/foo", new[] { "~/foo$", "/foo/" })]
    [InlineData("Prefix", "/foo/", new[] { "~/foo$", "/foo/" })]
    [InlineData("Prefix", "/", new[] { "/" })]
    [InlineData("ImplementationSpecific", "/foo", new[] { "/foo" })]
    [InlineData("ImplementationSpecific", "", new[] { "/" })]
    [InlineData("ImplementationSpecific", "/~/users/\\d+$", new[] { "~/users/\\d+$" })]
    [InlineData("ImplementationSpecific", "~/users/\\d+$", new[] { "~/users/\\d+$" })]
    public void Path_types_become_kong_paths(string pathType, string path, string[] expected)
    {
        var output = Translate(Input([Ingress("api", Path(path, "api", pathType: pathType))], [Service("api")]));

        Assert.Equal(expected, Assert.Single(output.Configuration.Routes).Paths);
        Assert.True(output.ResultFor("Ingress", "api").Programmed);
    }

    [Fact]
    public void An_invalid_regex_fails_only_its_path()
    {
        var broken = Ingress("broken", Path("/ok", "api"), Path("/~/(", "api", pathType: "ImplementationSpecific"));
        var output = Translate(Input([broken, Ingress("other", Path("/other", "api"))], [Service("api")]));

        var result = output.ResultFor("Ingress", "broken");
        Assert.False(result.Programmed);
        Assert.Equal(ProblemReasons.InvalidPath, result.Reason);
        Assert.StartsWith("spec.rules[0].http.paths[1].path: invalid regex \"~/(\": ", result.Message);
        Assert.Equal(["default.broken._ok", "default.other._other"], output.Configuration.Routes.Select(r => r.Name));
        Assert.True(output.ResultFor("Ingress", "other").Programmed);
    }

    [Theory]
    [InlineData("~foo", "ImplementationSpecific")]
    [InlineData("/a?b", "Prefix")]
    [InlineData("/x", "Regex")]
    public void Other_unusable_paths_fail_only_their_path(string path, string pathType)
    {
        var output = Translate(Input([Ingress("api", Path(path, "api", pathType: pathType), Path("/ok", "api"))], [Service("api")]));

        Assert.Equal(["default.api._ok"], output.Configuration.Routes.Select(r => r.Name));
        var problem = Assert.Single(output.ResultFor("Ingress", "api").Problems);
        Assert.Equal("spec.rules[0].http.paths[0].path", problem.Field);
    }

    [Fact]
    public void Hosts_exact_and_wildcard_and_an_invalid_host_fails_only_its_rule()
    {
        var ingress = Ingress("sites",
            Rule("api.example.com", Path("/", "api")),
            Rule("*.example.com", Path("/", "api")),
            Rule("bad host", Path("/", "api")));
        var output = Translate(Input([ingress], [Service("api")]));

        Assert.Equal(["api.example.com"], output.Route("default.sites.api-example-com_").Hosts!);
        Assert.Equal(["*.example.com"], output.Route("default.sites.--example-com_").Hosts!);
        Assert.Equal(2, output.Configuration.Routes.Count);
        var problem = Assert.Single(output.ResultFor("Ingress", "sites").Problems);
        Assert.Equal("spec.rules[2].host", problem.Field);
        Assert.Equal(ProblemReasons.InvalidHost, problem.Reason);
    }

    [Fact]
    public void Inserting_a_path_or_a_rule_in_front_keeps_every_other_routes_id_and_name()
    {
        static Dictionary<string, (Guid, string)> Routes(V1Ingress ingress)
        {
            ingress.Spec.DefaultBackend = Backend("api", 80);
            return Translate(Input([ingress], [Service("api")])).Configuration.Routes
                .ToDictionary(r => string.Join(",", r.Hosts ?? []) + string.Join(",", r.Paths!), r => (r.Id, r.Name));
        }
        var before = Routes(Ingress("api",
            Rule(null, Path("/a", "api"), Path("/b", "api", pathType: "Exact")),
            Rule("api.example.com", Path("/a", "api"))));
        var after = Routes(Ingress("api",
            Rule("new.example.com", Path("/z", "api")),
            Rule(null, Path("/new", "api"), Path("/a", "api"), Path("/b", "api", pathType: "Exact")),
            Rule("api.example.com", Path("/first", "api"), Path("/a", "api"))));

        Assert.Equal(4, before.Count);
        Assert.All(before, route => Assert.Equal(route.Value, after[route.Key]));
        Assert.Equal(7, after.Values.Select(v => v.Item1).Distinct().Count());
    }

    [Fact]
    public void The_same_host_and_path_twice_are_two_routes_with_their_own_ids_and_names()
    {
        var ingress = Ingress("api", Rule("api.example.com", Path("/a", "api"), Path("/a", "api")), Rule("api.example.com", Path("/a", "api")));
        var output = Translate(Input([ingress], [Service("api")]));

        Assert.Equal(["default.api.api-example-com_a", "default.api.api-example-com_a-2", "default.api.api-example-com_a-3"],
            output.Configuration.Routes.Select(r => r.Name));
        Assert.Equal(3, output.Configuration.Routes.Select(r => r.Id).Distinct().Count());
        Assert.True(output.ResultFor("Ingress", "api").Programmed);
    }

    [Fact]
    public void The_default_backend_catches_every_path()
    {
        var ingress = Ingress("fallback", Array.Empty<V1IngressRule>());
        ingress.Spec.Rules = null;
        ingress.Spec.DefaultBackend = Backend("api", 80);
        var output = Translate(Input([ingress], [Service("api")]));

        var route = output.Route("default.fallback.default-backend");
        Assert.Equal(["/"], route.Paths);
        Assert.Null(route.Hosts);
        Assert.Equal("default.api.80", output.ServiceOf(route).Name);
    }

    [Fact]
    public void A_missing_backend_service_fails_that_path_with_its_name()
    {
        var ingress = Ingress("api", Path("/a", "api"), Path("/b", "missing"));
        var output = Translate(Input([ingress], [Service("api")]));

        Assert.Equal(["default.api._a"], output.Configuration.Routes.Select(r => r.Name));
        var problem = Assert.Single(output.ResultFor("Ingress", "api").Problems);
        Assert.Equal(ProblemReasons.BackendNotFound, problem.Reason);
        Assert.Equal("spec.rules[0].http.paths[1].backend.service.name: Service \"default/missing\" not found", problem.ToString());
    }

    [Fact]
    public void A_backend_port_the_service_lacks_fails_that_path()
    {
        var output = Translate(Input([Ingress("api", Path("/", "api", port: 8080))], [Service("api", 80)]));

        Assert.Empty(output.Configuration.Routes);
        Assert.Equal("spec.rules[0].http.paths[0].backend.service.port: Service \"default/api\" has no port 8080",
            output.ResultFor("Ingress", "api").Message);
    }

    [Fact]
    public void Ingresses_of_other_classes_are_left_alone()
    {
        var ours = Ingress("ours", Path("/ours", "api"));
        var legacy = Ingress("legacy", Path("/legacy", "api"));
        legacy.Spec.IngressClassName = null;
        legacy.Annotated(IngressClassSelection.LegacyClassAnnotation, ClassName);
        var theirs = Ingress("theirs", Path("/theirs", "api"));
        theirs.Spec.IngressClassName = "nginx";
        var unclassed = Ingress("unclassed", Path("/unclassed", "api"));
        unclassed.Spec.IngressClassName = null;

        var output = Translate(Input([ours, legacy, theirs, unclassed], [Service("api")],
            classes: [IngressClass(), IngressClass("nginx", "k8s.io/ingress-nginx")]));

        Assert.Equal(["default.legacy._legacy", "default.ours._ours"], output.Configuration.Routes.Select(r => r.Name));
        Assert.DoesNotContain(output.Results, r => r.Source.Name is "theirs" or "unclassed");
    }

    [Fact]
    public void An_ingress_without_a_class_is_ours_when_our_class_is_the_default()
    {
        var unclassed = Ingress("unclassed", Path("/", "api"));
        unclassed.Spec.IngressClassName = null;

        var output = Translate(Input([unclassed], [Service("api")], classes: [IngressClass(isDefault: true)]));

        Assert.Single(output.Configuration.Routes);
    }

    [Fact]
    public void Our_class_name_handled_by_another_controller_is_not_ours()
    {
        var output = Translate(Input([Ingress("api", Path("/", "api"))], [Service("api")],
            classes: [IngressClass(controller: "konghq.com/ingress-controller")]));

        Assert.Empty(output.Configuration.Routes);
        Assert.Empty(output.Results);
    }
}
