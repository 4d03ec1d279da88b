using System.Text.Json.Nodes;
using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Manifests;

namespace Gateway.Operator.Tests.Manifests;

public class CrdGeneratorTests
{
    static readonly V1CustomResourceDefinition Crd = CrdGenerator.For<ApiGateway>();
    static JsonObject Schema => ObjectJson.ToNode(Crd.Spec.Versions[0].Schema.OpenAPIV3Schema);

    static JsonNode At(string path) =>
        path.Split('.').Aggregate((JsonNode)Schema, (node, name) => node["properties"]![name]!);

    [Fact]
    public void Names_the_kind_as_users_type_it()
    {
        Assert.Equal("apigateways.tollgate.dev", Crd.Metadata.Name);
        Assert.Equal("ApiGateway", Crd.Spec.Names.Kind);
        Assert.Equal(["agw"], Crd.Spec.Names.ShortNames!);
        Assert.Equal("v1alpha1", Crd.Spec.Versions[0].Name);
        Assert.Equal("Namespaced", Crd.Spec.Scope);
        Assert.NotNull(Crd.Spec.Versions[0].Subresources?.Status);
    }

    [Fact]
    public void Printer_columns_show_readiness_message_proxies_endpoint_and_age()
    {
        var columns = Crd.Spec.Versions[0].AdditionalPrinterColumns!;
        Assert.Equal(["Ready", "Status", "Proxies", "Endpoint", "Age"], columns.Select(c => c.Name));
        Assert.Equal(".status.conditions[?(@.type==\"Ready\")].status", columns[0].JsonPath);
        Assert.Equal("date", columns[4].Type);
    }

    [Fact]
    public void Validation_rules_come_from_the_attributes()
    {
        var replicas = At("spec.proxy.replicas");
        Assert.Equal("integer", (string?)replicas["type"]);
        Assert.Equal(0, (double)replicas["minimum"]!);
        Assert.Equal(100, (double)replicas["maximum"]!);
        Assert.Equal(2, (int)replicas["default"]!);

        var mode = At("spec.database.mode");
        Assert.Equal(["Managed", "External"], mode["enum"]!.AsArray().Select(v => (string?)v));

        Assert.Equal(Patterns.Quantity, (string?)At("spec.database.managed.storageSize")["pattern"]);
        Assert.Equal(["name"], At("spec.database.external.connectionSecretRef")["required"]!.AsArray().Select(v => (string?)v));
        Assert.False(string.IsNullOrWhiteSpace((string?)At("spec.proxy.service.type")["description"]));
    }

    [Fact]
    public void Status_schema_describes_conditions()
    {
        var condition = At("status.conditions")["items"]!;
        Assert.Equal(["type", "status"], condition["required"]!.AsArray().Select(v => (string?)v));
        Assert.Equal("date-time", (string?)condition["properties"]!["lastTransitionTime"]!["format"]);
    }
}
