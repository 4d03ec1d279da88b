using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Entities;
using Gateway.Proxy.Entities;

namespace Gateway.Proxy.Tests.Admin;

public class EntityMergeTests
{
    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    [Fact]
    public void Given_fields_replace_and_others_stay()
    {
        var merged = EntityMerge.Merge(EntityCatalog.Services.Schema,
            Json("""{"name":"a","host":"a.com","port":80}"""), Json("""{"port":8080}"""));
        Assert.Equal(Json("""{"name":"a","host":"a.com","port":8080}""").ToJsonString(), merged.ToJsonString());
    }

    [Fact]
    public void Arrays_are_replaced_not_appended()
    {
        var merged = EntityMerge.Merge(EntityCatalog.Routes.Schema,
            Json("""{"paths":["/a","/b"],"hosts":["x.com"]}"""), Json("""{"paths":["/c"]}"""));
        Assert.Equal("""["/c"]""", merged["paths"]!.ToJsonString());
        Assert.Equal("""["x.com"]""", merged["hosts"]!.ToJsonString());
    }

    [Fact]
    public void Null_clears_a_field()
    {
        var merged = EntityMerge.Merge(EntityCatalog.Services.Schema, Json("""{"name":"a","path":"/x"}"""), Json("""{"path":null}"""));
        Assert.True(merged.ContainsKey("path"));
        Assert.Null(merged["path"]);
    }

    [Fact]
    public void Plugin_config_merges_key_by_key_including_nested_objects()
    {
        var merged = EntityMerge.Merge(EntityCatalog.Plugins.Schema,
            Json("""{"name":"p","config":{"second":4,"hour":1200,"redis":{"host":"r","port":6379},"list":[1,2]}}"""),
            Json("""{"config":{"second":10,"redis":{"port":6380},"list":[3]}}"""));
        Assert.Equal(Json("""{"second":10,"hour":1200,"redis":{"host":"r","port":6380},"list":[3]}""").ToJsonString(),
            merged["config"]!.ToJsonString());
    }

    [Fact]
    public void Maps_are_replaced_whole()
    {
        var merged = EntityMerge.Merge(EntityCatalog.Routes.Schema,
            Json("""{"headers":{"x-a":["1"],"x-b":["2"]}}"""), Json("""{"headers":{"x-c":["3"]}}"""));
        Assert.Equal("""{"x-c":["3"]}""", merged["headers"]!.ToJsonString());
    }

    [Fact]
    public void The_stored_document_is_not_modified()
    {
        var stored = Json("""{"config":{"a":1}}""");
        EntityMerge.Merge(EntityCatalog.Plugins.Schema, stored, Json("""{"config":{"a":2}}"""));
        Assert.Equal("""{"config":{"a":1}}""", stored.ToJsonString());
    }
}
