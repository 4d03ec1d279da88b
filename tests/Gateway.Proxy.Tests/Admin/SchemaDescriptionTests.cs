using System.Text.Json.Nodes;
using Gateway.Proxy.Admin;
using Gateway.Proxy.Admin.Schemas;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Tests.Admin;

public class SchemaDescriptionTests
{
    private static JsonObject FieldOf(JsonObject schema, string name)
    {
        foreach (var entry in schema["fields"]!.AsArray())
            if (entry!.AsObject().ContainsKey(name)) return entry[name]!.AsObject();
        throw new Xunit.Sdk.XunitException($"no field {name} in {schema.ToJsonString()}");
    }

    [Fact]
    public void Service_fields_carry_types_defaults_rules_and_flags()
    {
        var schema = SchemaDescription.Describe(EntityCatalog.Services.Schema);
        Assert.Equal("string", (string)FieldOf(schema, "id")["type"]!);
        Assert.True((bool)FieldOf(schema, "id")["uuid"]!);
        Assert.True((bool)FieldOf(schema, "id")["auto"]!);
        Assert.True((bool)FieldOf(schema, "host")["required"]!);
        Assert.True((bool)FieldOf(schema, "name")["unique"]!);
        Assert.Equal(80, (int)FieldOf(schema, "port")["default"]!);
        Assert.Equal("[0,65535]", FieldOf(schema, "port")["between"]!.ToJsonString());
        Assert.Contains("https", FieldOf(schema, "protocol")["one_of"]!.AsArray().Select(v => (string)v!));
        Assert.Equal("array", (string)FieldOf(schema, "tags")["type"]!);
        Assert.Equal("string", (string)FieldOf(schema, "tags")["elements"]!["type"]!);
    }

    [Fact]
    public void References_are_foreign_fields_naming_their_kind()
    {
        var schema = SchemaDescription.Describe(EntityCatalog.Plugins.Schema);
        var service = FieldOf(schema, "service");
        Assert.Equal("foreign", (string)service["type"]!);
        Assert.Equal("services", (string)service["reference"]!);
        Assert.Equal("cascade", (string)service["on_delete"]!);
    }

    [Fact]
    public void Route_headers_are_a_map_of_string_arrays()
    {
        var headers = FieldOf(SchemaDescription.Describe(EntityCatalog.Routes.Schema), "headers");
        Assert.Equal("map", (string)headers["type"]!);
        Assert.Equal("array", (string)headers["values"]!["type"]!);
    }

    private sealed record SampleConfig
    {
        [Required] public int? Second { get; init; }
        public string Policy { get; init; } = "local";
    }

    [Fact]
    public void A_plugin_schema_shows_the_plugins_config_fields()
    {
        var schema = SchemaDescription.DescribePlugin(new AdminPlugin("sample", RecordSchema.For<SampleConfig>()));
        var config = FieldOf(schema, "config");
        Assert.Equal("record", (string)config["type"]!);
        Assert.True((bool)FieldOf(config, "second")["required"]!);
        Assert.Equal("local", (string)FieldOf(config, "policy")["default"]!);
    }
}
