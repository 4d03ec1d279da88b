using System.Text.Json.Nodes;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Plugins.RequestMirror;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Tests.Plugins;

public class RequestMirrorConfigTests
{
    private static JsonObject Errors(string config) =>
        PluginConfigCheck.Check(RecordSchema.For<RequestMirrorConfig>(), JsonNode.Parse(config)!.AsObject(), out _).ToJson();

    [Theory]
    [InlineData("""{"targets": ["10.0.0.1:8080"]}""")]
    [InlineData("""{"targets": ["mirror.internal:80", "[::1]:9000"], "percent": 12.5}""")]
    public void Endpoints_and_a_percentage_pass(string config) => Assert.Empty(Errors(config));

    [Theory]
    [InlineData("{}", "targets")]
    [InlineData("""{"targets": []}""", "targets")]
    [InlineData("""{"targets": ["not a host"]}""", "targets")]
    [InlineData("""{"targets": ["10.0.0.1:8080"], "percent": 101}""", "percent")]
    [InlineData("""{"targets": ["10.0.0.1:8080"], "percent": -1}""", "percent")]
    public void Bad_fields_are_named(string config, string field) => Assert.NotNull(Errors(config)[field]);
}
