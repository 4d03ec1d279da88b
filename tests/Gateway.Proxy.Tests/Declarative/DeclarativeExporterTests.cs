using System.Text.Json.Nodes;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Route = Gateway.Proxy.Entities.Route;

namespace Gateway.Proxy.Tests.Declarative;

public class DeclarativeExporterTests
{
    private const long Now = 1_700_000_000;

    private static ConfigData RichConfig()
    {
        var (cert, key) = TestCertificates.SelfSigned("example.com");
        var document = JsonNode.Parse("""
            {
              "_format_version": "3.0",
              "services": [
                {"name": "foo", "url": "https://foo.internal:8443/base", "tags": ["team-a", "123"],
                 "routes": [
                   {"name": "foo-route", "paths": ["/foo", "~/foo/\\d+$"], "methods": ["GET"], "strip_path": false,
                    "headers": {"x-version": ["1", "~*v2"]},
                    "plugins": [{"name": "key-auth", "config": {"key_names": ["apikey"], "hide_credentials": true}}]},
                   {"paths": ["/unnamed"]}],
                 "plugins": [{"name": "rate-limiting", "config": {"second": 9, "policy": "local"}}]},
                {"name": "bar", "host": "bar-upstream", "port": 80}
              ],
              "routes": [{"name": "no-service", "hosts": ["*.example.com"]}],
              "upstreams": [{"name": "bar-upstream", "algorithm": "least-connections",
                             "targets": [{"target": "10.0.0.1:9002", "weight": 30}, {"target": "10.0.0.2:9002"}]}],
              "consumers": [{"username": "alice", "plugins": [{"name": "rate-limiting", "config": {"minute": 5}}]},
                            {"custom_id": "true"}],
              "plugins": [
                {"name": "rate-limiting", "consumer": "alice", "route": "foo-route", "config": {"second": 4, "hour": 1200}},
                {"name": "cors", "enabled": false},
                {"name": "request-id", "instance_name": "rid", "config": {"header": "null"}}
              ],
              "certificates": [{"cert": "", "key": "", "snis": ["example.com", {"name": "*.example.com", "tags": ["x"]}]}]
            }
            """)!.AsObject();
        var certificate = document["certificates"]![0]!.AsObject();
        certificate["cert"] = cert;
        certificate["key"] = key;
        var result = DeclarativeParser.Parse(document.ToJsonString(), Now);
        Assert.True(result.IsValid, result.Describe());
        return result.Config!;
    }

    [Fact]
    public void YamlExportReadsBackToTheSameConfiguration()
    {
        var config = RichConfig();
        var yaml = DeclarativeExporter.ToYaml(config);
        var reread = DeclarativeParser.Parse(yaml, Now + 500);
        Assert.True(reread.IsValid, reread.Describe() + "\n" + yaml);
        ConfigJson.AssertEqual(config, reread.Config!);
    }

    [Fact]
    public void JsonExportReadsBackToTheSameConfiguration()
    {
        var config = RichConfig();
        var json = DeclarativeExporter.ToJson(config);
        Assert.StartsWith("{", json);
        var reread = DeclarativeParser.Parse(json, Now + 500);
        Assert.True(reread.IsValid, reread.Describe() + "\n" + json);
        ConfigJson.AssertEqual(config, reread.Config!);
    }

    [Fact]
    public void RandomIdsAndTimestampsSurviveTheRoundTrip()
    {
        var service = new Service { Id = Guid.NewGuid(), Name = "s", Host = "example.com", CreatedAt = 10, UpdatedAt = 20 };
        var route = new Route { Id = Guid.NewGuid(), Paths = ["/"], Service = new EntityRef(service.Id), CreatedAt = 11, UpdatedAt = 12 };
        var config = ConfigData.From(0, [service, route]);
        var reread = DeclarativeParser.Parse(DeclarativeExporter.ToYaml(config), Now);
        Assert.True(reread.IsValid, reread.Describe());
        ConfigJson.AssertEqual(config, reread.Config!);
    }

    [Fact]
    public void ExportNestsChildrenUnderTheirSingleOwner()
    {
        var config = RichConfig();
        var document = DeclarativeExporter.ToDocument(config);
        Assert.Equal("3.0", document["_format_version"]!.GetValue<string>());

        var foo = Service(document, "foo");
        var fooRoute = foo["routes"]!.AsArray().Single(r => r!["name"]?.GetValue<string>() == "foo-route")!;
        Assert.False(fooRoute.AsObject().ContainsKey("service"));
        Assert.Equal("key-auth", Assert.Single(fooRoute["plugins"]!.AsArray())!["name"]!.GetValue<string>());
        Assert.Equal("rate-limiting", Assert.Single(foo["plugins"]!.AsArray())!["name"]!.GetValue<string>());

        var upstream = document["upstreams"]![0]!;
        Assert.Equal(2, upstream["targets"]!.AsArray().Count);
        Assert.False(document.ContainsKey("targets"));
        Assert.Equal(2, document["certificates"]![0]!["snis"]!.AsArray().Count);
        Assert.False(document.ContainsKey("snis"));
        Assert.Single(document["consumers"]!.AsArray().Single(c => c!["username"]?.GetValue<string>() == "alice")!["plugins"]!.AsArray());

        // A route without a service, a plugin on a consumer and a route, and global plugins stay at the top level.
        Assert.Equal("no-service", Assert.Single(document["routes"]!.AsArray())!["name"]!.GetValue<string>());
        var topPlugins = document["plugins"]!.AsArray();
        Assert.Equal(3, topPlugins.Count);
        var scoped = topPlugins.Single(p => p!["consumer"] is not null)!;
        var alice = config.Consumers.Single(c => c.Username == "alice");
        Assert.Equal(alice.Id.ToString(), scoped["consumer"]!.GetValue<string>());
    }

    [Fact]
    public void ExportKeepsIdsAndPutsThemFirst()
    {
        var config = RichConfig();
        var foo = Service(DeclarativeExporter.ToDocument(config), "foo");
        Assert.Equal("id", foo.First().Key);
        Assert.Equal(config.Services.Single(s => s.Name == "foo").Id.ToString(), foo["id"]!.GetValue<string>());
    }

    [Fact]
    public void YamlExportQuotesStringsThatLookLikeOtherTypes()
    {
        var yaml = DeclarativeExporter.ToYaml(RichConfig());
        Assert.Contains("_format_version: \"3.0\"", yaml);
        Assert.Contains("- \"123\"", yaml);
        Assert.Contains("custom_id: \"true\"", yaml);
        Assert.Contains("header: \"null\"", yaml);
        Assert.Contains("cert: |", yaml);
    }

    [Fact]
    public void EmptyConfigurationExportsOnlyTheFormatVersion()
    {
        Assert.Equal("_format_version: \"3.0\"\n", DeclarativeExporter.ToYaml(ConfigData.Empty));
        Assert.True(DeclarativeParser.Parse(DeclarativeExporter.ToYaml(ConfigData.Empty)).IsValid);
    }

    private static JsonObject Service(JsonObject document, string name) =>
        document["services"]!.AsArray().Single(s => s!["name"]?.GetValue<string>() == name)!.AsObject();
}
