using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Http;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Tests.Admin;

public class KongErrorsTests
{
    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nactual   {actual?.ToJsonString()}");

    [Fact]
    public void Unique_violation_lists_sorted_fields_as_lua_literals()
    {
        var serviceId = "9c8a6ef3-4b6f-4c53-9d76-0d1c8e4c7b11";
        var e = KongErrors.UniqueViolation(EntityCatalog.Plugins, new Dictionary<string, string?>
        {
            ["service"] = serviceId, ["route"] = null, ["name"] = "basic-auth", ["consumer"] = null,
        });
        Assert.Equal(409, e.Response.Status);
        Assert.Equal(5, (int)e.Response.Body!["code"]!);
        Assert.Equal("unique constraint violation", (string)e.Response.Body!["name"]!);
        Assert.Equal($"UNIQUE violation detected on '{{consumer=null,name=\"basic-auth\",route=null,service={{id=\"{serviceId}\"}}}}'",
            (string)e.Response.Body!["message"]!);
        AssertJson("""{"consumer":null,"name":"basic-auth","route":null,"service":{"id":"ID"}}""".Replace("ID", serviceId),
            e.Response.Body!["fields"]);
    }

    [Fact]
    public void Missing_reference_names_the_field_and_kind()
    {
        var id = Guid.Parse("123e4567-e89b-12d3-a456-426614174000");
        var e = KongErrors.MissingReference("service", EntityCatalog.Services, id);
        Assert.Equal(400, e.Response.Status);
        AssertJson("""{"code":4,"name":"foreign key violation","message":"the foreign key '{id=\"123e4567-e89b-12d3-a456-426614174000\"}' does not reference an existing 'services' entity.","fields":{"service":{"id":"123e4567-e89b-12d3-a456-426614174000"}}}""",
            e.Response.Body);
    }

    [Fact]
    public void Unresolved_reference_by_name_uses_code_13()
    {
        var e = KongErrors.UnresolvedReference("service", "name", "non-existing", EntityCatalog.Services);
        Assert.Equal(13, (int)e.Response.Body!["code"]!);
        Assert.Equal("foreign key unresolved (service.name: the foreign key cannot be resolved with '{name=\"non-existing\"}' for an existing 'services' entity)",
            (string)e.Response.Body!["message"]!);
    }

    [Fact]
    public void Schema_violation_summarises_every_field()
    {
        var errors = new FieldErrors();
        errors.Add("connect_timeout", "expected an integer");
        errors.Add("host", "required field missing");
        var e = KongErrors.SchemaViolation(errors);
        Assert.Equal(400, e.Response.Status);
        Assert.Equal("2 schema violations (connect_timeout: expected an integer; host: required field missing)",
            (string)e.Response.Body!["message"]!);
    }

    [Fact]
    public void Db_less_writes_name_the_operation()
    {
        var e = KongErrors.OperationUnsupported("create", EntityCatalog.Routes, null);
        Assert.Equal(405, e.Response.Status);
        AssertJson("""{"code":12,"name":"operation unsupported","message":"cannot create 'routes' entities when not using a database"}""",
            e.Response.Body);
        var byName = KongErrors.OperationUnsupported("delete", EntityCatalog.Services, "name");
        Assert.Equal("cannot delete 'services' entities by 'name' when not using a database", (string)byName.Response.Body!["message"]!);
    }
}
