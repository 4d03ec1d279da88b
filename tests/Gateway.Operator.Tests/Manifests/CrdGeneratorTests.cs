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
    public void Printer_columns_show_readiness_message_proxies_endpoint_configuration_and_age()
    {
        var columns = Crd.Spec.Versions[0].AdditionalPrinterColumns!;
        Assert.Equal(["Ready", "Status", "Proxies", "Endpoint", "Configuration", "Age"], columns.Select(c => c.Name));
        Assert.Equal(".status.conditions[?(@.type==\"Ready\")].status", columns[0].JsonPath);
        Assert.Equal("date", columns[5].Type);
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

    [Fact]
    public void Plugin_and_consumer_kinds_have_top_level_fields_free_form_config_and_the_scope_they_are_used_in()
    {
        var plugin = CrdGenerator.For<TollgatePlugin>();
        var clusterPlugin = CrdGenerator.For<TollgateClusterPlugin>();
        var consumer = CrdGenerator.For<TollgateConsumer>();

        Assert.Equal(("Namespaced", "Cluster", "Namespaced"), (plugin.Spec.Scope, clusterPlugin.Spec.Scope, consumer.Spec.Scope));
        var schema = ObjectJson.ToNode(plugin.Spec.Versions[0].Schema.OpenAPIV3Schema);
        Assert.Contains("plugin", schema["required"]!.AsArray().Select(n => (string?)n));
        Assert.True((bool)schema["properties"]!["config"]!["x-kubernetes-preserve-unknown-fields"]!);
        Assert.NotNull(schema["properties"]!["instance_name"]);
        Assert.Null(schema["properties"]!["spec"]);
        Assert.NotNull(ObjectJson.ToNode(consumer.Spec.Versions[0].Schema.OpenAPIV3Schema)["properties"]!["custom_id"]);
        Assert.Equal(["tgp", "tgcp", "tgc"], new[] { plugin, clusterPlugin, consumer }.Select(c => c.Spec.Names.ShortNames!.Single()));
    }
}
