using System.Text.Json.Nodes;
using System.Net.Http.Headers;
using System.Text;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>Refused writes answer in Kong's shapes and leave the stored configuration exactly as it was.</summary>
public class ErrorTests(AdminPostgres postgres) : AdminTestBase(postgres)
{
    [Fact]
    public async Task Missing_and_mistyped_fields_are_named()
    {
        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/services", """{"connect_timeout":"slow"}"""));
        Assert.Equal("2 schema violations (connect_timeout: expected an integer; host: required field missing)", reply.String("message"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(
            """{"code":2,"name":"schema violation","message":"2 schema violations (connect_timeout: expected an integer; host: required field missing)","fields":{"connect_timeout":"expected an integer","host":"required field missing"}}"""),
            reply.Body), reply.Text);
    }

    [Fact]
    public async Task Unknown_fields_are_refused()
    {
        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/services", """{"host":"a.com","foo":"bar"}"""));
        Assert.Equal("schema violation (foo: unknown field)", reply.String("message"));
        Assert.Equal("unknown field", reply.Json["fields"]!["foo"]!.GetValue<string>());

        var form = await RefusedAsync(400, () => Client.PostFormAsync("/consumers", ("username", "a"), ("nickname", "b")));
        Assert.Equal("unknown field", form.Json["fields"]!["nickname"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"host\":")]
    [InlineData("not json at all")]
    [InlineData("{\"host\":\"a.com\",\"host\":\"b.com\"}")]
    [InlineData("")]
    public async Task Malformed_json_is_a_clear_400(string body)
    {
        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/services", body));
        Assert.Equal("""{"message":"Cannot parse JSON body"}""", reply.Text);
    }

    [Fact]
    public async Task A_json_body_that_is_not_an_object_is_refused()
    {
        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/services", """["a"]"""));
        Assert.Contains("expected a JSON object", reply.String("message"));
    }

    [Fact]
    public async Task Bodies_of_other_media_types_are_refused_with_415()
    {
        await RefusedAsync(415, () => Client.SendAsync(HttpMethod.Post, "/services",
            new StringContent("host: a.com", Encoding.UTF8, "text/yaml")));
    }

    [Fact]
    public async Task A_body_on_a_get_is_ignored()
    {
        var reply = await Client.SendAsync(HttpMethod.Get, "/services", new StringContent("{broken", Encoding.UTF8, "application/json"));
        reply.Expect(200);
    }

    [Fact]
    public async Task A_route_without_matching_criteria_gets_kongs_entity_message()
    {
        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/routes", "{}"));
        Assert.StartsWith("must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is ",
            reply.Json["fields"]!["@entity"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"paths": ["/"], "tollgate_queries": {"page": []}}""", "expected a non-empty array")]
    [InlineData("""{"paths": ["/"], "tollgate_queries": {"": ["1"]}}""", "keys must not be empty")]
    [InlineData("""{"paths": ["/"], "tollgate_queries": {"page": ["~(unclosed"]}}""", "invalid regex: '(unclosed'")]
    public async Task A_bad_query_match_names_the_tollgate_queries_field(string route, string message)
    {
        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/routes", route));
        Assert.Contains(message, reply.Json["fields"]!["tollgate_queries"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public async Task A_tollgate_priority_beyond_kongs_bound_is_refused()
    {
        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/routes", """{"paths": ["/"], "tollgate_priority": 70368744177664}"""));
        Assert.NotNull(reply.Json["fields"]!["tollgate_priority"]);
    }

    [Fact]
    public async Task Query_parameters_alone_are_enough_to_match_by()
    {
        var reply = await Client.PostJsonAsync("/routes", """{"tollgate_queries": {"page": ["1"]}}""");
        reply.Expect(201);
    }

    [Fact]
    public async Task An_invalid_regex_path_names_the_paths_field()
    {
        var reply = await RefusedAsync(400, () => Client.PostFormAsync("/routes", ("paths[]", "~/status/(\\d+")));
        var message = reply.Json["fields"]!["paths"]![0]!.GetValue<string>();
        Assert.StartsWith("invalid regex: '/status/(\\d+'", message);
        Assert.StartsWith("schema violation (paths: invalid regex", reply.String("message"));
    }

    [Fact]
    public async Task A_duplicate_name_is_a_409_unique_violation()
    {
        await ServiceAsync("billing");
        var reply = await RefusedAsync(409, () => Client.PostJsonAsync("/services", """{"name":"billing","host":"other.internal"}"""));
        Assert.Equal("""{"code":5,"name":"unique constraint violation","message":"UNIQUE violation detected on '{name=\"billing\"}'","fields":{"name":"billing"}}""",
            reply.Text);
    }

    [Fact]
    public async Task A_second_plugin_of_the_same_name_and_scope_is_a_409()
    {
        var service = await ServiceAsync("billing");
        await CreateAsync("/services/billing/plugins", """{"name":"sample-limits","config":{"second":1}}""");
        var reply = await RefusedAsync(409, () => Client.PostJsonAsync("/services/billing/plugins", """{"name":"sample-limits","config":{"second":2}}"""));
        Assert.Equal($"UNIQUE violation detected on '{{consumer=null,name=\"sample-limits\",route=null,service={{id=\"{service}\"}}}}'",
            reply.String("message"));
        Assert.Equal(service, reply.Json["fields"]!["service"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_reference_to_a_missing_entity_is_a_foreign_key_violation()
    {
        var missing = Guid.NewGuid();
        var reply = await RefusedAsync(400, () => Client.PostFormAsync("/routes", ("paths[]", "/a"), ("service.id", missing.ToString())));
        var expected = """{"code":4,"name":"foreign key violation","message":"the foreign key '{id=\"ID\"}' does not reference an existing 'services' entity.","fields":{"service":{"id":"ID"}}}""";
        Assert.Equal(expected.Replace("ID", missing.ToString()), reply.Text);
    }

    [Fact]
    public async Task References_by_name_are_resolved_or_refused_with_code_13()
    {
        var service = await ServiceAsync("billing");
        var route = (await Client.PostFormAsync("/routes", ("paths[]", "/a"), ("service.name", "billing"))).Expect(201);
        Assert.Equal(service, route.Json["service"]!["id"]!.GetValue<string>());
        var json = (await Client.PostJsonAsync("/routes", """{"paths":["/b"],"service":{"name":"billing"}}""")).Expect(201);
        Assert.Equal(service, json.Json["service"]!["id"]!.GetValue<string>());

        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/routes", """{"paths":["/c"],"service":{"name":"non-existing"}}"""));
        Assert.Equal(13, reply.Json["code"]!.GetValue<int>());
        Assert.Equal("foreign keys unresolved", reply.String("name"));
        Assert.Equal("the foreign key cannot be resolved with '{name=\"non-existing\"}' for an existing 'services' entity",
            reply.Json["fields"]!["service"]!["name"]!.GetValue<string>());

        await CreateAsync("/consumers", """{"username":"alice"}""");
        var plugin = (await Client.PostFormAsync("/plugins", ("name", "sample-limits"), ("config.minute", "1"), ("consumer.username", "alice"))).Expect(201);
        Assert.NotNull(plugin.Json["consumer"]!["id"]);
    }

    [Fact]
    public async Task Deleting_a_service_that_routes_still_use_is_refused()
    {
        var service = await ServiceAsync("billing");
        await CreateAsync("/routes", $$$"""{"paths":["/a"],"service":{"id":"{{{service}}}"}}""");
        var reply = await RefusedAsync(400, () => Client.DeleteAsync("/services/billing"));
        Assert.Equal("""{"code":4,"name":"foreign key violation","message":"an existing 'routes' entity references this 'services' entity","fields":{"@referenced_by":"routes"}}""",
            reply.Text);
    }

    [Fact]
    public async Task Deleting_a_service_removes_its_plugins_with_it()
    {
        await ServiceAsync("billing");
        var plugin = await CreateAsync("/services/billing/plugins", """{"name":"sample-limits","config":{"second":1}}""");
        (await Client.DeleteAsync("/services/billing")).Expect(204);
        (await Client.GetAsync($"/plugins/{plugin}")).Expect(404);
    }

    [Fact]
    public async Task Unknown_paths_and_methods()
    {
        Assert.Equal("""{"message":"Not found"}""", (await Client.GetAsync("/nothing")).Expect(404).Text);
        Assert.Equal("""{"message":"Method not allowed"}""", (await Client.JsonAsync("PUT", "/services", "{}")).Expect(405).Text);
        (await Client.DeleteAsync("/services")).Expect(405);
        (await Client.PostJsonAsync("/services/x", "{}")).Expect(405);
        (await Client.GetAsync("/services/x/routes/y/z")).Expect(404);
    }

    [Theory]
    [InlineData("""{"port":1e400,"host":"a.com"}""")]
    [InlineData("""{"port":99999999999999999999999,"host":"a.com"}""")]
    [InlineData("""{"port":80.5,"host":"a.com"}""")]
    [InlineData("""{"host":["a.com"]}""")]
    [InlineData("""{"host":{"a":1}}""")]
    [InlineData("""{"host":"a.com","tags":[null]}""")]
    [InlineData("""{"host":"a.com","tags":"x"}""")]
    [InlineData("""{"host":"a.com","id":"not-a-uuid"}""")]
    [InlineData("""{"host":"a.com","created_at":"yesterday"}""")]
    [InlineData("""{"host":"a.com","enabled":"yes"}""")]
    [InlineData("""{"host":"a.com","url":12}""")]
    [InlineData("""{"url":"not a url"}""")]
    [InlineData("""{"host":"a b c"}""")]
    public async Task Bad_values_are_400_never_500(string body)
    {
        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/services", body));
        Assert.Equal(2, reply.Json["code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"paths":["/a"],"service":"billing"}""")]
    [InlineData("""{"paths":["/a"],"service":{"id":"nope"}}""")]
    [InlineData("""{"paths":["/a"],"service":{"id":42}}""")]
    [InlineData("""{"paths":["/a"],"service":{"host":"x"}}""")]
    [InlineData("""{"paths":["/a"],"headers":{"host":["x"]}}""")]
    [InlineData("""{"paths":["/a"],"headers":{"x-a":"single"}}""")]
    [InlineData("""{"paths":["/a"],"methods":["get"]}""")]
    [InlineData("""{"paths":["a"]}""")]
    [InlineData("""{"hosts":["*.*.com"]}""")]
    [InlineData("""{"paths":["/a"],"snis":["a.com"],"protocols":["http"]}""")]
    public async Task Bad_route_values_are_400_never_500(string body)
    {
        await ServiceAsync("billing");
        await RefusedAsync(400, () => Client.PostJsonAsync("/routes", body));
    }

    [Fact]
    public async Task Odd_paths_and_query_values_do_not_break_anything()
    {
        (await Client.GetAsync("/services/%2F%2F")).Expect(404);
        (await Client.GetAsync("/consumers/" + new string('a', 5000))).Expect(404);
        (await Client.GetAsync("/upstreams/nothing/targets/x")).Expect(404);
        (await Client.GetAsync("/services?size=10&size=abc")).Expect(200);
        await RefusedAsync(404, () => Client.SendAsync(HttpMethod.Post, "/upstreams/nothing/targets",
            new ByteArrayContent([0xff, 0xfe, 0x00]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }));
    }
}
