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

    static IEnumerable<ApiGateway> Gateways(string file)
    {
        var yaml = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build();
        var parser = new YamlDotNet.Core.Parser(new StringReader(File.ReadAllText(RepositoryRoot.Combine("config", "samples", file))));
        parser.Consume<YamlDotNet.Core.Events.StreamStart>();
        while (parser.Accept<YamlDotNet.Core.Events.DocumentStart>(out _))
        {
            var document = yaml.Deserialize<Dictionary<string, object>>(parser);
            if ((string?)document["kind"] == "ApiGateway")
                yield return ObjectJson.Deserialize<ApiGateway>(JsonSerializer.Serialize(document));
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_sample_gateway_is_valid(string file)
    {
        var gateways = Gateways(file).ToList();
        Assert.NotEmpty(gateways);
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
