using System.Text;
using Gateway.Proxy.Admin;
using Gateway.Proxy.PluginEngine;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>
/// request-termination and redirect configured through the Admin API and POST /config: bad values are refused with a
/// 400 naming the field, good ones are stored with their defaults.
/// </summary>
public class TerminationAndRedirectConfigTests(AdminPostgres postgres) : AdminTestBase(postgres)
{
    protected override AdminApiOptions Options => new() { Plugins = PluginCatalog.Bundled.ForAdminApi() };

    [Theory]
    [InlineData("request-termination", """{"status_code": 99}""", "status_code", "value should be between 200 and 599")]
    [InlineData("request-termination", """{"status_code": "soon"}""", "status_code", "expected an integer")]
    [InlineData("request-termination", """{"trigger": "X Stop"}""", "trigger", "bad header name, allowed characters are A-Z, a-z, 0-9, '_', and '-'")]
    [InlineData("request-termination", """{"colour": "red"}""", "colour", "unknown field")]
    [InlineData("redirect", """{"location": "https://a.test/", "status_code": 200}""", "status_code", "expected one of: 301, 302, 303, 307, 308")]
    [InlineData("redirect", """{"location": "/relative/path"}""", "location", "should be an absolute URL with a scheme and a host, such as https://example.com/path")]
    [InlineData("redirect", """{"status_code": 302}""", "location", "required field missing")]
    public async Task A_bad_field_is_a_400_naming_it(string name, string config, string field, string message)
    {
        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/plugins", $$"""{"name": "{{name}}", "config": {{config}}}"""));

        Assert.Equal(message, reply.Json["fields"]!["config"]![field]!.GetValue<string>());
    }

    [Theory]
    [InlineData("request-termination", """{"message": "m", "body": "b"}""", "message cannot be used with content_type or body")]
    [InlineData("request-termination", """{"content_type": "text/html"}""", "content_type requires a body")]
    [InlineData("request-termination", """{"echo": true, "body": "b"}""", "echo cannot be used with content_type and body")]
    public async Task Fields_that_cannot_go_together_are_a_400_for_the_whole_config(string name, string config, string message)
    {
        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/plugins", $$"""{"name": "{{name}}", "config": {{config}}}"""));

        Assert.Equal(message, reply.Json["fields"]!["config"]!["@entity"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_part_of_a_request_redirect_is_named_under_it()
    {
        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/plugins",
            """{"name": "redirect", "config": {"tollgate_request_redirect": {"scheme": "ftp", "port": 70000}}}"""));

        var redirect = reply.Json["fields"]!["config"]!["tollgate_request_redirect"]!;
        Assert.Equal("expected one of: http, https", redirect["scheme"]!.GetValue<string>());
        Assert.Equal("value should be between 1 and 65535", redirect["port"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_redirect_gets_kongs_defaults_and_a_request_redirect_is_stored_as_given()
    {
        var kong = (await Client.PostJsonAsync("/plugins", """{"name": "redirect", "config": {"location": "https://a.test/"}}""")).Expect(201);
        await ServiceAsync("shop");
        var own = (await Client.PostJsonAsync("/services/shop/plugins",
            """{"name": "redirect", "config": {"tollgate_request_redirect": {"scheme": "https"}}}""")).Expect(201);

        Assert.Equal(301, kong.Json["config"]!["status_code"]!.GetValue<int>());
        Assert.False(kong.Json["config"]!["keep_incoming_path"]!.GetValue<bool>());
        Assert.Equal("https", own.Json["config"]!["tollgate_request_redirect"]!["scheme"]!.GetValue<string>());
        Assert.Null(own.Json["config"]!["location"]);
    }

    [Fact]
    public async Task A_request_termination_gets_kongs_defaults()
    {
        var reply = (await Client.PostFormAsync("/plugins", ("name", "request-termination"), ("config.message", "Down"))).Expect(201);

        Assert.Equal(503, reply.Json["config"]!["status_code"]!.GetValue<int>());
        Assert.False(reply.Json["config"]!["echo"]!.GetValue<bool>());
        Assert.Equal("Down", reply.Json["config"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_declarative_configuration_with_a_bad_termination_changes_nothing()
    {
        var reply = await RefusedAsync(400, () => Client.SendAsync(HttpMethod.Post, "/config", new StringContent("""
            _format_version: "3.0"
            plugins:
            - name: request-termination
              instance_name: closed
              config: {status_code: 700}
            """, Encoding.UTF8, "text/yaml")));

        Assert.Equal("value should be between 200 and 599",
            reply.Json["fields"]!["plugins"]!["closed"]!["config.status_code"]!.GetValue<string>());
        Assert.Empty((await Client.GetAsync("/plugins")).Expect(200).Json["data"]!.AsArray());
    }
}
