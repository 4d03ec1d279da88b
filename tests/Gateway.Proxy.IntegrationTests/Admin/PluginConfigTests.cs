using Gateway.Proxy.Admin;
using Gateway.Proxy.PluginEngine;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>The bundled plugins through the Admin API: bad names and bad configurations are refused naming the field, good ones get their defaults.</summary>
public class PluginConfigTests(AdminPostgres postgres) : AdminTestBase(postgres)
{
    protected override AdminApiOptions Options => new() { Plugins = PluginCatalog.Bundled.ForAdminApi() };

    [Theory]
    [InlineData("cors", """{"origins": ["https://(unclosed"]}""", "origins")]
    [InlineData("cors", """{"methods": ["FETCH"]}""", "methods")]
    [InlineData("correlation-id", """{"generator": "sequence"}""", "generator")]
    [InlineData("request-size-limiting", """{"size_unit": "gigabytes"}""", "size_unit")]
    [InlineData("request-size-limiting", """{"allowed_payload_size": -1}""", "allowed_payload_size")]
    [InlineData("request-transformer", """{"add": {"headers": ["no-colon-here"]}}""", "add")]
    [InlineData("request-transformer", """{"replace": {"uri": "/v2/$(cookies.x)"}}""", "replace")]
    [InlineData("request-transformer", """{"http_method": "get"}""", "http_method")]
    [InlineData("response-transformer", """{"add": {"json": ["a:1"], "json_types": ["date"]}}""", "add")]
    [InlineData("key-auth", """{"key_names": "apikey"}""", "key_names")]
    [InlineData("acl", """{"hide_groups_header": true}""", "@entity")]
    [InlineData("acl", """{"allow": ["a"], "deny": ["b"]}""", "@entity")]
    public async Task A_bad_plugin_configuration_is_a_400_naming_the_field(string name, string config, string field)
    {
        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/plugins", $$"""{"name": "{{name}}", "config": {{config}}}"""));

        Assert.NotNull(reply.Json["fields"]?["config"]?[field]);
    }

    [Fact]
    public async Task An_unknown_plugin_name_is_refused()
    {
        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/plugins", """{"name": "teleport"}"""));

        Assert.Contains("teleport", reply.Json["fields"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_authentication_plugin_cannot_be_scoped_to_a_consumer()
    {
        var consumer = await CreateAsync("/consumers", """{"username": "alice"}""");

        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/plugins", $$$"""{"name": "key-auth", "consumer": {"id": "{{{consumer}}}"}}"""));

        Assert.NotNull(reply.Json["fields"]!["consumer"]);
    }

    [Fact]
    public async Task A_form_encoded_plugin_gets_typed_values_and_its_defaults()
    {
        var reply = (await Client.PostFormAsync("/plugins", ("name", "request-size-limiting"), ("config.allowed_payload_size", "10"),
            ("config.size_unit", "kilobytes"))).Expect(201);

        Assert.Equal(10, reply.Json["config"]!["allowed_payload_size"]!.GetValue<int>());
        Assert.False(reply.Json["config"]!["require_content_length"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Every_bundled_plugin_is_listed_as_enabled()
    {
        var reply = (await Client.GetAsync("/plugins/enabled")).Expect(200);

        var names = reply.Json["enabled_plugins"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        foreach (var plugin in PluginCatalog.Bundled.All) Assert.Contains(plugin.Name, names);
    }
}
