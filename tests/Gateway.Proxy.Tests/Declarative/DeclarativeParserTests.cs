using System.Text.Json.Nodes;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Entities;

namespace Gateway.Proxy.Tests.Declarative;

public class DeclarativeParserTests
{
    private const long Now = 1_700_000_000;

    // The foo/bar walkthrough: two services, each with one prefix route.
    private const string FooBarNested = """
        _format_version: "3.0"
        services:
        - name: foo-service
          url: http://foo-service:5000
          routes:
          - name: foo
            paths: [/foo]
        - name: bar-service
          host: bar-service
          port: 5000
          routes:
          - name: bar
            paths:
            - /bar
        """;

    private const string FooBarFlat = """
        _format_version: "3.0"
        services:
        - name: foo-service
          url: http://foo-service:5000
        - name: bar-service
          host: bar-service
          port: 5000
        routes:
        - name: foo
          service: foo-service
          paths: [/foo]
        - name: bar
          service: bar-service
          paths:
          - /bar
        """;

    // The consumers and rate limits of the API gateway walkthrough: per-consumer limits on a route and a
    // service-wide default.
    private const string RateLimitedApi = """
        _format_version: "3.0"
        _comment: per-user limits
        services:
        - name: pytbak-svc
          host: pytbak-svc.pytbak.svc
          port: 5000
          routes:
          - name: api
            hosts: [api.ing.h4x0r3d.lan]
            paths: [/api/]
          - name: api-get
            hosts: [api.ing.h4x0r3d.lan]
            paths: [/api/get/]
          plugins:
          - name: rate-limiting
            config: {second: 9, policy: local}
        consumers:
        - username: slow_user
        - username: fast_user
          custom_id: "007"
        plugins:
        - name: rate-limiting
          consumer: slow_user
          route: api
          config:
            second: 4
            hour: 1200
            policy: local
        - name: rate-limiting
          consumer: fast_user
          route: api
          config: {second: 8, policy: local}
        """;

    private static ConfigData ParseOk(string text)
    {
        var result = DeclarativeParser.Parse(text, Now);
        Assert.True(result.IsValid, result.Describe());
        Assert.Empty(result.Errors);
        return result.Config!;
    }

    [Fact]
    public void FooBarWalkthroughGivesTwoServicesWithTheirRoutes()
    {
        var config = ParseOk(FooBarNested);

        var foo = Assert.Single(config.Services, s => s.Name == "foo-service");
        Assert.Equal(("http", "foo-service", 5000), (foo.Protocol, foo.Host, foo.Port));
        var bar = Assert.Single(config.Services, s => s.Name == "bar-service");
        Assert.Equal(5000, bar.Port);

        var fooRoute = Assert.Single(config.Routes, r => r.Name == "foo");
        Assert.Equal(["/foo"], fooRoute.Paths!);
        Assert.Equal(foo.Id, fooRoute.Service!.Id);
        Assert.True(fooRoute.StripPath);
        Assert.Equal(bar.Id, Assert.Single(config.Routes, r => r.Name == "bar").Service!.Id);
        Assert.Equal(Now, foo.CreatedAt);
    }

    [Fact]
    public void FlatFormWithReferencesByNameEqualsNestedForm()
    {
        ConfigJson.AssertEqual(ParseOk(FooBarNested), ParseOk(FooBarFlat));
    }

    [Fact]
    public void RateLimitWalkthroughScopesPluginsToConsumerRouteAndService()
    {
        var config = ParseOk(RateLimitedApi);
        var service = Assert.Single(config.Services);
        var api = Assert.Single(config.Routes, r => r.Name == "api");
        var slow = Assert.Single(config.Consumers, c => c.Username == "slow_user");
        var fast = Assert.Single(config.Consumers, c => c.Username == "fast_user");
        Assert.Equal("007", fast.CustomId);

        Assert.Equal(3, config.Plugins.Count);
        var serviceWide = Assert.Single(config.Plugins, p => p.Service is not null);
        Assert.Equal(service.Id, serviceWide.Service!.Id);
        Assert.Null(serviceWide.Route);
        Assert.Equal(9, serviceWide.Config!["second"]!.GetValue<int>());

        var slowLimit = Assert.Single(config.Plugins, p => p.Consumer?.Id == slow.Id);
        Assert.Equal(api.Id, slowLimit.Route!.Id);
        Assert.Null(slowLimit.Service);
        Assert.Equal(4, slowLimit.Config!["second"]!.GetValue<int>());
        Assert.Equal(1200, slowLimit.Config!["hour"]!.GetValue<int>());
        Assert.Equal("local", slowLimit.Config!["policy"]!.GetValue<string>());
        Assert.Equal(api.Id, Assert.Single(config.Plugins, p => p.Consumer?.Id == fast.Id).Route!.Id);
    }

    [Fact]
    public void ReferencesByIdWorkAsStringAndAsRecord()
    {
        const string serviceId = "6f1d6ad4-54d6-4a8c-8e8b-3e4c5c9f0a11";
        var config = ParseOk($$"""
            _format_version: "3.0"
            services:
            - id: {{serviceId}}
              host: example.com
            routes:
            - name: by-string
              service: {{serviceId}}
              paths: [/a]
            - name: by-record
              service: {id: {{serviceId}}}
              paths: [/b]
            """);
        Assert.Equal(Guid.Parse(serviceId), Assert.Single(config.Services).Id);
        Assert.All(config.Routes, r => Assert.Equal(Guid.Parse(serviceId), r.Service!.Id));
    }

    [Fact]
    public void GeneratedIdsAreTheSameOnEveryLoad()
    {
        var first = ParseOk(RateLimitedApi);
        var second = ParseOk(RateLimitedApi);
        ConfigJson.AssertEqual(first, second);
    }

    [Fact]
    public void NamedEntitiesKeepTheirIdsWhenTheFileIsReordered()
    {
        var nested = ParseOk(FooBarNested);
        var reordered = ParseOk("""
            _format_version: "3.0"
            routes:
            - name: bar
              service: bar-service
              paths: [/bar]
            services:
            - name: bar-service
              host: bar-service
              port: 5000
            - name: foo-service
              url: http://foo-service:5000
              routes:
              - name: foo
                paths: [/foo]
            """);
        ConfigJson.AssertEqual(nested, reordered);
    }

    [Fact]
    public void NamedEntitiesGetTheNameBasedIdKongWouldGive()
    {
        var config = ParseOk(FooBarNested);
        var foo = Assert.Single(config.Services, s => s.Name == "foo-service");
        Assert.Equal(DeterministicIds.For("services", "foo-service"), foo.Id);
    }

    [Fact]
    public void UnnamedEntitiesGetStableIdsFromTheirPosition()
    {
        const string text = """
            _format_version: "3.0"
            services:
            - host: a.example
              routes:
              - paths: [/one]
              - paths: [/two]
            """;
        var first = ParseOk(text);
        var second = ParseOk(text);
        Assert.Equal(2, first.Routes.Select(r => r.Id).Distinct().Count());
        ConfigJson.AssertEqual(first, second);
    }

    [Fact]
    public void JsonDocumentsAreRecognisedByContent()
    {
        var config = ParseOk("""
            {
              "_format_version": "3.0",
              "services": [{"name": "foo-service", "url": "http://foo-service:5000",
                            "routes": [{"name": "foo", "paths": ["/foo"]}]}]
            }
            """);
        Assert.Equal("foo", Assert.Single(config.Routes).Name);
    }

    [Fact]
    public void AcceptedFormatVersionsAndIgnoredMetaKeys()
    {
        foreach (var version in new[] { "1.1", "2.1", "3.0" })
        {
            ParseOk($"""
                _format_version: "{version}"
                _transform: false
                _comment: anything
                _workspace: default
                services:
                - host: example.com
                  _comment: this entry is documented
                """);
        }
    }

    [Fact]
    public void TransformFlagIsReported()
    {
        Assert.True(DeclarativeParser.Parse("_format_version: \"3.0\"", Now).Transform);
        Assert.False(DeclarativeParser.Parse("_format_version: \"3.0\"\n_transform: false", Now).Transform);
    }

    [Fact]
    public void EmptyCollectionsAndAnEmptyConfigAreValid()
    {
        var config = ParseOk("_format_version: \"3.0\"\nservices: []\nroutes:\n");
        Assert.Equal(0, config.Count);
    }

    [Fact]
    public void UpstreamTargetsAreNestedAndScopedToTheirUpstream()
    {
        var config = ParseOk("""
            _format_version: "3.0"
            upstreams:
            - name: one
              targets:
              - target: 10.0.0.1:80
                weight: 50
              - target: 10.0.0.2:80
            - name: two
              targets:
              - target: 10.0.0.1:80
            targets:
            - target: 10.0.0.9:80
              upstream: two
            """);
        var one = Assert.Single(config.Upstreams, u => u.Name == "one");
        var two = Assert.Single(config.Upstreams, u => u.Name == "two");
        Assert.Equal(2, config.Targets.Count(t => t.Upstream!.Id == one.Id));
        Assert.Equal(2, config.Targets.Count(t => t.Upstream!.Id == two.Id));
        Assert.Equal(50, config.Targets.Single(t => t.Address == "10.0.0.1:80" && t.Upstream!.Id == one.Id).Weight);
        // The same address under two upstreams is two targets with two ids.
        Assert.Equal(4, config.Targets.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public void CertificateSnisMayBeStringsOrRecords()
    {
        var (cert, key) = TestCertificates.SelfSigned("example.com");
        var document = new JsonObject
        {
            ["_format_version"] = "3.0",
            ["certificates"] = new JsonArray(new JsonObject
            {
                ["cert"] = cert,
                ["key"] = key,
                ["snis"] = new JsonArray("example.com", new JsonObject { ["name"] = "*.example.com" }),
            }),
        };
        var result = DeclarativeParser.Parse(document.ToJsonString(), Now);
        Assert.True(result.IsValid, result.Describe());
        var certificate = Assert.Single(result.Config!.Certificates);
        Assert.Equal(["*.example.com", "example.com"], result.Config.Snis.Select(s => s.Name).Order());
        Assert.All(result.Config.Snis, s => Assert.Equal(certificate.Id, s.Certificate!.Id));
    }

    [Fact]
    public void YamlScalarsKeepTheirTypes()
    {
        var config = ParseOk("""
            _format_version: "3.0"
            services:
            - name: typed
              host: example.com
              port: 0x1F90
              retries: !!int "3"
              enabled: false
              tls_verify: ~
              tags: ["123", "true", "null", !!str 42]
            """);
        var service = Assert.Single(config.Services);
        Assert.Equal(8080, service.Port);
        Assert.Equal(3, service.Retries);
        Assert.False(service.Enabled);
        Assert.Null(service.TlsVerify);
        Assert.Equal(["123", "true", "null", "42"], service.Tags!);
    }

    [Fact]
    public void UnquotedNumbersAndBooleansAreNotStrings()
    {
        var result = DeclarativeParser.Parse("""
            _format_version: "3.0"
            consumers:
            - username: bond
              custom_id: 007
            services:
            - host: example.com
              tags: [true]
            """, Now);
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Path == "consumers[0].custom_id" && e.Message == "expected a string");
        Assert.Contains(result.Errors, e => e.Path == "services[0].tags" && e.Message == "expected a string");
    }

    [Fact]
    public void QuotedBooleansAreStrings()
    {
        var result = DeclarativeParser.Parse("""
            _format_version: "3.0"
            services:
            - host: example.com
              enabled: "true"
            """, Now);
        Assert.Contains(result.Errors, e => e.Path == "services[0].enabled" && e.Message == "expected a boolean");
    }

    [Fact]
    public void YamlAnchorsAndMergeKeysAreExpanded()
    {
        var config = ParseOk("""
            _format_version: "3.0"
            _ignore: &defaults
              port: 8443
              protocol: https
            services:
            - <<: *defaults
              name: a
              host: a.example
            """);
        var service = Assert.Single(config.Services);
        Assert.Equal((8443, "https"), (service.Port, service.Protocol));
    }
}
