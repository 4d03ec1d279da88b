using System.Text.Json;
using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Gateway.Operator.Tests.Manifests;

/// <summary>The samples users copy are gateways the operator accepts as they are.</summary>
public class SampleTests
{
    public static TheoryData<string> Samples() =>
        new(Directory.EnumerateFiles(RepositoryRoot.Combine("config", "samples"), "tollgate_*.yaml").Select(Path.GetFileName)!);

    // Each document of a sample with its kind.
    static IEnumerable<(string Kind, Dictionary<string, object> Document)> Documents(string file)
    {
        var yaml = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build();
        var parser = new YamlDotNet.Core.Parser(new StringReader(File.ReadAllText(RepositoryRoot.Combine("config", "samples", file))));
        parser.Consume<YamlDotNet.Core.Events.StreamStart>();
        while (parser.Accept<YamlDotNet.Core.Events.DocumentStart>(out _))
        {
            var document = yaml.Deserialize<Dictionary<string, object>>(parser);
            yield return ((string)document["kind"], document);
        }
    }

    static IEnumerable<ApiGateway> Gateways(string file) =>
        Documents(file).Where(d => d.Kind == "ApiGateway").Select(d => ObjectJson.Deserialize<ApiGateway>(JsonSerializer.Serialize(d.Document)));

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_sample_gateway_is_valid(string file)
    {
        var gateways = Gateways(file).ToList();
        // A Gateway API Gateway whose class names no ApiGateway gets one made for it.
        Assert.True(gateways.Count > 0 || Documents(file).Any(d => d.Kind == "Gateway"), $"{file} holds no gateway");
        foreach (var gateway in gateways)
        {
            gateway.Metadata.NamespaceProperty = "default";
            Assert.Empty(ApiGatewayValidation.Validate(gateway));
        }
    }

    [Fact]
    public void The_foobar_sample_holds_the_two_services_of_the_walkthrough()
    {
        var text = File.ReadAllText(RepositoryRoot.Combine("config", "samples", "tollgate_v1alpha1_apigateway_foobar.yaml"));
        Assert.Contains("name: foo-service", text);
        Assert.Contains("name: bar-service", text);
        Assert.Contains("path: /foo", text);
        Assert.Contains("path: /bar", text);
        Assert.Contains("ingressClassName: tollgate", text);
    }
}
