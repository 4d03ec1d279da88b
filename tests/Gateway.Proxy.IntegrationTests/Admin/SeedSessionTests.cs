using System.Text.Json.Nodes;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>The curl session of the reference article, replayed unchanged.</summary>
public class SeedSessionTests(AdminPostgres postgres) : AdminTestBase(postgres)
{
    [Fact]
    public async Task Creating_a_consumer_with_curl_data_answers_201_with_kongs_body()
    {
        // curl -X POST --url http://admin/consumers/ --data "username=slow_user"
        var reply = (await Client.PostFormAsync("/consumers/", ("username", "slow_user"))).Expect(201);

        var body = reply.Json;
        Assert.True(Guid.TryParseExact(reply.Id, "D", out _));
        Assert.Equal("slow_user", body["username"]!.GetValue<string>());
        Assert.True(body.ContainsKey("custom_id") && body["custom_id"] is null);
        Assert.True(body.ContainsKey("tags") && body["tags"] is null);
        var createdAt = body["created_at"]!.GetValue<long>();
        Assert.InRange(createdAt, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60);

        var read = (await Client.GetAsync("/consumers/slow_user")).Expect(200);
        Assert.Equal(reply.Id, read.Id);
    }

    [Fact]
    public async Task A_plugin_the_node_does_not_run_is_refused_naming_the_name_field()
    {
        var consumer = (await Client.PostFormAsync("/consumers/", ("username", "slow_user"))).Expect(201).Id;
        var service = await ServiceAsync("pytbak");
        var route = await CreateAsync("/routes", $$$"""{"name":"api","paths":["/api/"],"service":{"id":"{{{service}}}"}}""");

        var reply = await RefusedAsync(400, () => Client.PostFormAsync("/plugins/",
            ("name", "oauth2"), ("config.scopes", "email"), ("consumer.id", consumer), ("route.id", route)));

        Assert.Equal(2, reply.Json["code"]!.GetValue<int>());
        Assert.Equal("schema violation", reply.String("name"));
        Assert.Equal("plugin 'oauth2' not enabled; add it to the 'plugins' configuration property",
            reply.Json["fields"]!["name"]!.GetValue<string>());
        Assert.Equal("schema violation (name: plugin 'oauth2' not enabled; add it to the 'plugins' configuration property)",
            reply.String("message"));
    }

    [Fact]
    public async Task The_same_form_session_with_an_available_plugin_stores_typed_config_and_scope()
    {
        var consumer = (await Client.PostFormAsync("/consumers/", ("username", "slow_user"))).Expect(201).Id;
        var service = await ServiceAsync("pytbak");
        var route = await CreateAsync("/routes", $$$"""{"name":"api","paths":["/api/"],"service":{"id":"{{{service}}}"}}""");

        var reply = (await Client.PostFormAsync("/plugins/",
            ("name", "sample-limits"), ("config.second", "4"), ("config.hour", "1200"), ("config.policy", "local"),
            ("consumer.id", consumer), ("route.id", route))).Expect(201);

        var config = reply.Json["config"]!.AsObject();
        Assert.Equal(4, config["second"]!.GetValue<int>());
        Assert.Equal(1200, config["hour"]!.GetValue<int>());
        Assert.Null(config["minute"]);
        Assert.Equal("local", config["policy"]!.GetValue<string>());
        Assert.True(config["fault_tolerant"]!.GetValue<bool>());
        Assert.Equal(consumer, reply.Json["consumer"]!["id"]!.GetValue<string>());
        Assert.Equal(route, reply.Json["route"]!["id"]!.GetValue<string>());
        Assert.Null(reply.Json["service"]);
        Assert.True(reply.Json["enabled"]!.GetValue<bool>());
        Assert.Equal(JsonNode.Parse("""["grpc","grpcs","http","https"]""")!.ToJsonString(), reply.Json["protocols"]!.ToJsonString());

        var listed = (await Client.GetAsync($"/consumers/slow_user/plugins")).Expect(200);
        Assert.Equal(reply.Id, listed.Json["data"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Plugin_config_is_checked_against_the_plugins_schema()
    {
        var reply = await RefusedAsync(400, () => Client.PostFormAsync("/plugins",
            ("name", "sample-limits"), ("config.second", "four"), ("config.policy", "nowhere")));
        var config = reply.Json["fields"]!["config"]!.AsObject();
        Assert.Equal("expected an integer", config["second"]!.GetValue<string>());
        Assert.Equal("expected one of: local, cluster, redis", config["policy"]!.GetValue<string>());

        var missing = await RefusedAsync(400, () => Client.PostJsonAsync("/plugins", """{"name":"sample-limits","config":{}}"""));
        Assert.Equal("at least one of these fields must be non-empty: 'second', 'minute', 'hour'",
            missing.Json["fields"]!["config"]!["@entity"]![0]!.GetValue<string>());
    }
}
