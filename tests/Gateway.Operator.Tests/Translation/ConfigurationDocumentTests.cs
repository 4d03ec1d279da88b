using System.Text.Json.Nodes;
using Gateway.Operator.Translation;
using Gateway.Proxy.Declarative;
using static Gateway.Operator.Tests.Translation.Cluster;

namespace Gateway.Operator.Tests.Translation;

public sealed class ConfigurationDocumentTests
{
    private static readonly V1Secret SiteTls = TlsSecret("site-tls", "example.com");

    private static V1Ingress[] Ingresses()
    {
        var site = Ingress("site", Rule("example.com", Path("/", "web"), Path("/~/items/\\d+$", "api", pathType: "ImplementationSpecific")));
        site.Spec.Tls = [new() { SecretName = "site-tls", Hosts = ["example.com"] }];
        return [site, Ingress("foo", Path("/foo", "api", pathType: "Exact")).Annotated("konghq.com/methods", "GET")];
    }

    private static V1Service[] Services() => [Service("web"), Service("api").Annotated("tollgate.dev/read-timeout", "5000")];

    private static V1EndpointSlice[] Slices() =>
    [
        Slice("web", "web-1", 8080, null, Endpoint("10.0.0.2"), Endpoint("10.0.0.1")),
        Slice("api", "api-1", 9000, null, Endpoint("10.0.1.1")),
    ];

    [Fact]
    public void The_document_is_what_the_proxys_declarative_parser_accepts()
    {
        var output = Translate(Input(Ingresses(), Services(), Slices(), [SiteTls]));

        var parsed = DeclarativeParser.Parse(output.Configuration.ToJson());

        Assert.True(parsed.IsValid, parsed.Describe());
        var config = parsed.Config!;
        Assert.Equal(output.Configuration.Routes.Select(r => r.Id).Order(), config.Routes.Select(r => r.Id).Order());
        Assert.Equal(2, config.Services.Count);
        Assert.Equal(3, config.Targets.Count);
        Assert.Single(config.Certificates);
        Assert.Equal("example.com", Assert.Single(config.Snis).Name);
        var foo = config.Routes.Single(r => r.Name == "default.foo._foo");
        Assert.False(foo.StripPath);
        Assert.True(foo.PreserveHost);
        Assert.Equal(["GET"], foo.Methods!);
        Assert.Equal(5000, config.Services.Single(s => s.Id == foo.Service!.Id).ReadTimeout);
    }

    [Theory]
    [InlineData("https")]
    [InlineData("grpc")]
    [InlineData("grpcs")]
    public void A_service_protocol_annotation_reaches_the_parsed_service(string protocol)
    {
        var services = new[] { Service("web").Annotated("konghq.com/protocol", protocol), Service("api") };
        var output = Translate(Input(Ingresses(), services, Slices(), [SiteTls]));

        var parsed = DeclarativeParser.Parse(output.Configuration.ToJson());

        Assert.True(parsed.IsValid, parsed.Describe());
        Assert.Equal(protocol, parsed.Config!.Services.Single(s => s.Name == "default.web.80").Protocol);
        Assert.Equal("http", parsed.Config.Services.Single(s => s.Name == "default.api.80").Protocol);
    }

    [Fact]
    public void The_document_starts_with_its_format_version_and_holds_each_kind_as_a_top_level_array()
    {
        var document = JsonNode.Parse(Translate(Input(Ingresses(), Services(), Slices(), [SiteTls])).Configuration.ToJson())!.AsObject();

        Assert.Equal(["_format_version", "services", "routes", "upstreams", "targets", "certificates", "snis"], document.Select(p => p.Key));
        Assert.Equal("3.0", (string?)document["_format_version"]);
    }

    [Fact]
    public void The_same_objects_in_another_order_give_the_same_bytes()
    {
        var input = Input(Ingresses(), Services(), Slices(), [SiteTls]);
        var slices = Slices();
        foreach (var slice in slices) slice.Endpoints = [.. slice.Endpoints.Reverse()];
        var reversed = input with
        {
            Ingresses = [.. Ingresses().Reverse()],
            Services = [.. Services().Reverse()],
            EndpointSlices = [.. slices.Reverse()],
        };

        var first = Translate(input);
        var second = Translate(reversed);

        Assert.Equal(first.Configuration.ToJson(), second.Configuration.ToJson());
        Assert.Equal(first.Results, second.Results, (a, b) => a.Source == b.Source && a.Message == b.Message);
    }

    [Fact]
    public void The_builder_sorts_whatever_order_translators_add_in()
    {
        var builder = new ConfigurationBuilder("owner");
        foreach (var name in new[] { "b", "c", "a" })
        {
            var service = new KongRef(EntityIds.For("services", name));
            builder.Add(new KongService { Id = service.Id, Name = name, Host = name, Port = 80, Tags = [] });
            builder.Add(new KongRoute { Id = EntityIds.For("routes", name), Name = name, Protocols = ["http"], Paths = ["/"], Service = service, Tags = [] });
            builder.Add(new KongUpstream { Id = EntityIds.For("upstreams", name), Name = name, Tags = [] });
            builder.Add(new KongSni { Id = EntityIds.For("snis", name), Name = name, Certificate = service, Tags = [] });
        }

        var config = builder.Build();

        Assert.Equal(["a", "b", "c"], config.Services.Select(s => s.Name));
        Assert.Equal(["a", "b", "c"], config.Routes.Select(r => r.Name));
        Assert.Equal(["a", "b", "c"], config.Upstreams.Select(u => u.Name));
        Assert.Equal(["a", "b", "c"], config.Snis.Select(s => s.Name));
    }

    [Fact]
    public void Ids_depend_only_on_the_source_objects_identity_and_what_a_route_matches()
    {
        var output = Translate(Input(Ingresses(), Services(), Slices(), [SiteTls]));

        // Fixed values: an id that changed between operator versions would make every proxy rewrite its configuration.
        Assert.Equal(Guid.Parse("886313e1-3b8a-5372-9b90-0c9aee199e5d"),
            EntityIds.NameBased(Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org"));
        Assert.Equal(EntityIds.For("routes", "Ingress/default/foo/hosts//Exact//foo"), output.Route("default.foo._foo").Id);
        Assert.Equal(EntityIds.For("services", "Service/default/api/80"), output.Configuration.Services.Single(s => s.Name == "default.api.80").Id);
        Assert.NotEqual(EntityIds.For("services", "Service/default/api/80"), EntityIds.For("upstreams", "Service/default/api/80"));
        var ids = output.Configuration.Services.Select(s => s.Id).Concat(output.Configuration.Routes.Select(r => r.Id))
            .Concat(output.Configuration.Upstreams.Select(u => u.Id)).Concat(output.Configuration.Targets.Select(t => t.Id))
            .Concat(output.Configuration.Certificates.Select(c => c.Id)).Concat(output.Configuration.Snis.Select(s => s.Id)).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Every_entity_is_tagged_with_its_source_object_and_the_gateway_that_owns_it()
    {
        var output = Translate(Input(Ingresses(), Services(), Slices(), [SiteTls]));

        Assert.Equal("tollgate-operator:gateways.edge", output.Configuration.OwnerTag);
        Assert.Equal(
            ["tollgate-operator:gateways.edge", "k8s-kind:Ingress", "k8s-namespace:default", "k8s-name:foo", "k8s-uid:uid-foo",
             "k8s-group:networking.k8s.io", "k8s-version:v1"],
            output.Route("default.foo._foo").Tags);
        Assert.Equal(
            ["tollgate-operator:gateways.edge", "k8s-kind:Service", "k8s-namespace:default", "k8s-name:api", "k8s-uid:uid-api", "k8s-version:v1"],
            output.Configuration.Services.Single(s => s.Name == "default.api.80").Tags);
        var all = output.Configuration.Services.Select(s => s.Tags).Concat(output.Configuration.Routes.Select(r => r.Tags))
            .Concat(output.Configuration.Upstreams.Select(u => u.Tags)).Concat(output.Configuration.Targets.Select(t => t.Tags))
            .Concat(output.Configuration.Certificates.Select(c => c.Tags)).Concat(output.Configuration.Snis.Select(s => s.Tags));
        Assert.All(all, tags => Assert.Contains(output.Configuration.OwnerTag, tags));
    }
}
