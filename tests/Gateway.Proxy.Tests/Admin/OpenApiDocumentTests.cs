using System.Text.Json.Nodes;
using Gateway.Proxy.Admin;
using Gateway.Proxy.Admin.Info;
using Gateway.Proxy.Admin.OpenApi;
using Gateway.Proxy.Entities;

namespace Gateway.Proxy.Tests.Admin;

public class OpenApiDocumentTests
{
    private readonly JsonObject _document = OpenApiDocument.Build(new AdminApiOptions());

    [Fact]
    public void Is_an_openapi_3_document()
    {
        Assert.Equal("3.0.3", (string)_document["openapi"]!);
        Assert.Equal("0.1.0", (string)_document["info"]!["version"]!);
    }

    [Fact]
    public void Post_config_describes_its_flags_and_the_scoped_answers()
    {
        var post = _document["paths"]!["/config"]!["post"]!;
        var flags = post["parameters"]!.AsArray().Select(p => (string)p!["name"]!).ToArray();
        Assert.Equal(["dry_run", "flatten_errors", "check_hash"], flags);
        Assert.Contains("_info.select_tags", (string)post["description"]!);
        Assert.NotNull(post["responses"]!["304"]);
        Assert.Equal("#/components/schemas/Error", (string)post["responses"]!["400"]!["content"]!["application/json"]!["schema"]!["$ref"]!);
    }

    [Fact]
    public void Every_catalog_endpoint_and_method_is_a_path_operation()
    {
        var paths = _document["paths"]!.AsObject();
        foreach (var endpoint in EndpointCatalog.All)
        {
            Assert.True(paths.ContainsKey(endpoint.Path), endpoint.Path);
            foreach (var method in endpoint.Methods)
                Assert.NotNull(paths[endpoint.Path]![method.ToLowerInvariant()]);
        }
        Assert.True(paths.ContainsKey("/services/{services}/routes/{routes}"));
        Assert.True(paths.ContainsKey("/upstreams/{upstreams}/targets/{targets}"));
        Assert.False(paths.ContainsKey("/targets"));
    }

    [Theory]
    [InlineData("/upstreams/{upstreams}/targets/{targets}/healthy")]
    [InlineData("/upstreams/{upstreams}/targets/{targets}/unhealthy")]
    public void Marking_a_target_is_documented_as_answered_with_no_content(string path)
    {
        var responses = _document["paths"]![path]!["post"]!["responses"]!.AsObject();
        Assert.True(responses.ContainsKey("204"));
        Assert.False(responses.ContainsKey("200"));
    }

    [Fact]
    public void Every_reference_resolves_and_operation_ids_are_unique()
    {
        var schemas = _document["components"]!["schemas"]!.AsObject();
        var ids = new HashSet<string>();
        foreach (var node in Walk(_document))
        {
            if (node is not JsonObject obj) continue;
            if (obj["$ref"] is JsonValue reference)
            {
                var name = ((string)reference!).Replace("#/components/schemas/", "");
                Assert.True(schemas.ContainsKey(name), name);
            }
            if (obj["operationId"] is JsonValue id) Assert.True(ids.Add((string)id!), (string)id!);
        }
    }

    [Fact]
    public void Entity_schemas_come_from_the_record_schemas()
    {
        var service = _document["components"]!["schemas"]!["ServiceInput"]!;
        Assert.Contains("host", service["required"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(65535L, (long)service["properties"]!["port"]!["maximum"]!);
        Assert.Equal(80, (int)service["properties"]!["port"]!["default"]!);
        foreach (var kind in EntityCatalog.All)
            Assert.NotNull(_document["components"]!["schemas"]![kind.ClrType.Name + "Page"]);
    }

    [Fact]
    public void Security_is_declared_only_when_a_token_is_set()
    {
        Assert.Null(_document["security"]);
        Assert.NotNull(OpenApiDocument.Build(new AdminApiOptions { Token = "t" })["security"]);
    }

    private static IEnumerable<JsonNode?> Walk(JsonNode? node)
    {
        yield return node;
        if (node is JsonObject obj)
            foreach (var (_, child) in obj) foreach (var n in Walk(child)) yield return n;
        else if (node is JsonArray array)
            foreach (var child in array) foreach (var n in Walk(child)) yield return n;
    }
}
