using System.Text;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>POST /config with a database: the whole configuration is replaced in one step, or not at all.</summary>
public class ConfigImportTests(AdminPostgres postgres) : AdminTestBase(postgres)
{
    private Task<AdminReply> PostYamlAsync(string yaml, string query = "") =>
        Client.SendAsync(HttpMethod.Post, "/config" + query, new StringContent(yaml, Encoding.UTF8, "text/yaml"));

    [Fact]
    public async Task A_valid_configuration_replaces_what_was_stored()
    {
        await ServiceAsync("old");
        (await PostYamlAsync("""
            _format_version: "3.0"
            services:
            - name: new
              url: http://new.internal
              routes:
              - name: r
                paths: [/new]
              plugins:
              - name: sample-limits
                config: {minute: 5}
            """)).Expect(201);

        (await Client.GetAsync("/services/old")).Expect(404);
        Assert.Equal("new", (await Client.GetAsync("/routes/r/service")).Expect(200).String("name"));
        var plugin = (await Client.GetAsync("/services/new/plugins")).Expect(200).Json["data"]![0]!;
        Assert.Equal(5, plugin["config"]!["minute"]!.GetValue<int>());
        Assert.Equal("local", plugin["config"]!["policy"]!.GetValue<string>());

        var exported = (await Client.GetAsync("/config")).Expect(200).String("config")!;
        Assert.Contains("name: new", exported);
    }

    [Fact]
    public async Task A_configuration_with_a_dangling_reference_changes_nothing()
    {
        await ServiceAsync("old");
        var reply = await RefusedAsync(400, () => PostYamlAsync("""
            _format_version: "3.0"
            services:
            - name: new
              host: new.internal
            routes:
            - name: r
              paths: [/x]
              service: missing
            """));
        Assert.Equal(14, reply.Json["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Plugins_in_a_configuration_are_checked_like_plugins_posted_one_by_one()
    {
        await ServiceAsync("old");
        var reply = await RefusedAsync(400, () => PostYamlAsync("""
            _format_version: "3.0"
            plugins:
            - name: rate-limiting
              instance_name: limits
              config: {second: 4}
            - name: sample-limits
              instance_name: sample
              config: {second: many}
            """));
        var flattened = reply.Json["flattened_errors"]!.AsArray();
        var rateLimiting = flattened.Single(e => e!["entity_name"]!.GetValue<string>() == "limits")!;
        Assert.Equal("plugin", rateLimiting["entity_type"]!.GetValue<string>());
        Assert.Equal("name", rateLimiting["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Equal("plugin 'rate-limiting' not enabled; add it to the 'plugins' configuration property",
            rateLimiting["errors"]![0]!["message"]!.GetValue<string>());
        var sample = flattened.Single(e => e!["entity_name"]!.GetValue<string>() == "sample")!;
        Assert.Equal("config.second", sample["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Equal("expected an integer", reply.Json["fields"]!["plugins"]!["sample"]!["config.second"]!.GetValue<string>());
    }

    [Fact]
    public async Task Dry_run_validates_without_writing()
    {
        await ServiceAsync("old");
        await RefusedAsync(200, () => PostYamlAsync("_format_version: \"3.0\"\nconsumers:\n- username: x\n", "?dry_run=true"));
    }
}
