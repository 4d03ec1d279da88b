namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>PUT creates or replaces by id or endpoint key (200 both ways); PATCH merges into what is stored.</summary>
public class UpsertAndPatchTests(AdminPostgres postgres) : AdminTestBase(postgres)
{
    [Fact]
    public async Task Put_by_name_creates_then_replaces_the_same_entity()
    {
        var created = (await Client.JsonAsync("PUT", "/services/billing", """{"host":"a.internal","retries":1}""")).Expect(200);
        Assert.Equal("billing", created.String("name"));
        Assert.Equal(1, created.Json["retries"]!.GetValue<int>());

        var replaced = (await Client.JsonAsync("PUT", "/services/billing", """{"host":"b.internal"}""")).Expect(200);
        Assert.Equal(created.Id, replaced.Id);
        Assert.Equal("b.internal", replaced.String("host"));
        Assert.Equal(5, replaced.Json["retries"]!.GetValue<int>());
        Assert.Single((await Client.GetAsync("/services")).Expect(200).Json["data"]!.AsArray());
    }

    [Fact]
    public async Task Put_by_id_creates_with_that_id()
    {
        var id = Guid.NewGuid().ToString();
        var service = await ServiceAsync("billing");
        var reply = (await Client.JsonAsync("PUT", $"/routes/{id}", $$$"""{"paths":["/x"],"service":{"id":"{{{service}}}"}}""")).Expect(200);
        Assert.Equal(id, reply.Id);
        (await Client.GetAsync($"/routes/{id}")).Expect(200);
    }

    [Fact]
    public async Task The_key_in_the_path_wins_over_the_body()
    {
        var reply = (await Client.JsonAsync("PUT", "/consumers/alice", """{"username":"mallory"}""")).Expect(200);
        Assert.Equal("alice", reply.String("username"));
        (await Client.GetAsync("/consumers/mallory")).Expect(404);
    }

    [Fact]
    public async Task Put_with_form_fields_works_like_json()
    {
        var reply = (await Client.FormAsync("PUT", "/upstreams/pool", ("slots", "20"), ("tags[]", "a"))).Expect(200);
        Assert.Equal(20, reply.Json["slots"]!.GetValue<int>());
        Assert.Equal("a", reply.Json["tags"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_merges_plugin_config_and_keeps_other_fields()
    {
        var id = await CreateAsync("/plugins", """{"name":"sample-limits","config":{"second":4,"hour":1200,"policy":"cluster"},"tags":["a"]}""");
        var reply = (await Client.FormAsync("PATCH", $"/plugins/{id}", ("config.second", "10"))).Expect(200);
        var config = reply.Json["config"]!;
        Assert.Equal(10, config["second"]!.GetValue<int>());
        Assert.Equal(1200, config["hour"]!.GetValue<int>());
        Assert.Equal("cluster", config["policy"]!.GetValue<string>());
        Assert.Equal("a", reply.Json["tags"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_replaces_arrays_and_null_clears()
    {
        var service = await ServiceAsync("billing");
        var id = await CreateAsync("/routes", $$$"""{"name":"r","paths":["/a","/b"],"hosts":["x.com"],"service":{"id":"{{{service}}}"}}""");
        var reply = (await Client.JsonAsync("PATCH", $"/routes/{id}", """{"paths":["/c"],"hosts":null}""")).Expect(200);
        Assert.Equal("""["/c"]""", reply.Json["paths"]!.ToJsonString());
        Assert.Null(reply.Json["hosts"]);
        Assert.Equal(service, reply.Json["service"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_with_url_rewrites_the_service_address()
    {
        await ServiceAsync("billing", "http://old.internal/base");
        var reply = (await Client.JsonAsync("PATCH", "/services/billing", """{"url":"https://new.internal:9443/v2"}""")).Expect(200);
        Assert.Equal("https", reply.String("protocol"));
        Assert.Equal("new.internal", reply.String("host"));
        Assert.Equal(9443, reply.Json["port"]!.GetValue<int>());
        Assert.Equal("/v2", reply.String("path"));
        Assert.False(reply.Json.ContainsKey("url"));
    }

    [Fact]
    public async Task Patch_of_a_missing_entity_is_404()
    {
        Assert.Equal("""{"message":"Not found"}""", (await Client.JsonAsync("PATCH", "/services/nothing", """{"retries":1}""")).Expect(404).Text);
        (await Client.JsonAsync("PATCH", $"/services/{Guid.NewGuid()}", """{"retries":1}""")).Expect(404);
    }

    [Fact]
    public async Task A_patch_that_breaks_the_entity_changes_nothing()
    {
        await ServiceAsync("billing");
        var reply = await RefusedAsync(400, () => Client.JsonAsync("PATCH", "/services/billing", """{"port":70000,"protocol":"smtp"}"""));
        Assert.Equal("value should be between 0 and 65535", reply.Json["fields"]!["port"]!.GetValue<string>());
        Assert.StartsWith("expected one of: ", reply.Json["fields"]!["protocol"]!.GetValue<string>());
        Assert.StartsWith("2 schema violations (", reply.String("message"));
    }
}
