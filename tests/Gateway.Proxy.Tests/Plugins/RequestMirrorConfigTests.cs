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
    [InlineData("""{"mirrors": [{"targets": ["10.0.0.1:8080"]}]}""")]
    [InlineData("""{"mirrors": [{"targets": ["mirror.internal:80", "[::1]:9000"], "percent": 12.5}, {"targets": ["10.0.0.2:80"]}]}""")]
    public void Endpoints_and_a_percentage_pass(string config) => Assert.Empty(Errors(config));

    [Theory]
    [InlineData("{}", "mirrors")]
    [InlineData("""{"mirrors": []}""", "mirrors")]
    [InlineData("""{"mirrors": [{"targets": []}]}""", "mirrors")]
    [InlineData("""{"mirrors": [{"targets": ["not a host"]}]}""", "mirrors")]
    [InlineData("""{"mirrors": [{"targets": ["10.0.0.1:8080"], "percent": 101}]}""", "mirrors")]
    [InlineData("""{"mirrors": [{"targets": ["10.0.0.1:8080"], "percent": -1}]}""", "mirrors")]
    public void Bad_fields_are_named(string config, string field) => Assert.NotNull(Errors(config)[field]);
}
