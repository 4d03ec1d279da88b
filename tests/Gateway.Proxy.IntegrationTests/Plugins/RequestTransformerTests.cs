using System.Text;
using Gateway.Proxy.IntegrationTests.Proxying;

namespace Gateway.Proxy.IntegrationTests.Plugins;

public sealed class RequestTransformerTests : PluginTestBase
{
    private void Configure(string plugin, string path = "/api")
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config, path);
        config.Plugin("request-transformer", plugin, route: route);
        Gateway.Apply(config.Build());
    }

    [Fact]
    public async Task Headers_are_removed_renamed_replaced_added_and_appended_in_that_order()
    {
        Configure("""
            {"remove": {"headers": ["X-Drop"]},
             "rename": {"headers": ["X-Old:X-New"]},
             "replace": {"headers": ["X-Version:2", "X-Absent:never"]},
             "add": {"headers": ["X-Added:yes", "X-Version:ignored"]},
             "append": {"headers": ["X-List:b"]}}
            """);

        var reply = await EchoReply.ReadAsync(await GetAsync("/api",
            ("X-Drop", "1"), ("X-Old", "moved"), ("X-Version", "1"), ("X-List", "a")));

        Assert.Null(reply.Header("X-Drop"));
        Assert.Null(reply.Header("X-Old"));
        Assert.Equal("moved", reply.Header("X-New"));
        Assert.Equal("2", reply.Header("X-Version"));
        Assert.Null(reply.Header("X-Absent"));
        Assert.Equal("yes", reply.Header("X-Added"));
        Assert.Equal("a, b", reply.Header("X-List"));
    }

    [Fact]
    public async Task The_query_string_is_transformed()
    {
        Configure("""
            {"remove": {"querystring": ["debug"]},
             "rename": {"querystring": ["q:search"]},
             "add": {"querystring": ["page:1"]}}
            """);

        var reply = await EchoReply.ReadAsync(await GetAsync("/api?debug=1&q=shoes"));

        Assert.Equal("?search=shoes&page=1", reply.Query);
    }

    [Fact]
    public async Task Json_body_fields_are_transformed_and_the_length_follows()
    {
        Configure("""
            {"remove": {"body": ["password"]},
             "rename": {"body": ["user:username"]},
             "add": {"body": ["source:gateway"]}}
            """);

        var body = new StringContent("""{"user": "ann", "password": "x"}""", Encoding.UTF8, "application/json");
        var reply = await EchoReply.ReadAsync(await Client.PostAsync("/api", body));

        Assert.Equal("""{"username":"ann","source":"gateway"}""", reply.Body);
    }

    [Fact]
    public async Task Form_body_fields_are_transformed()
    {
        Configure("""{"replace": {"body": ["plan:gold"]}, "append": {"body": ["tag:vip"]}}""");

        var form = new FormUrlEncodedContent([new("plan", "free"), new("tag", "new")]);
        var reply = await EchoReply.ReadAsync(await Client.PostAsync("/api", form));

        Assert.Equal("plan=gold&tag=new&tag=vip", reply.Body);
    }

    [Fact]
    public async Task Templates_take_values_from_headers_query_and_uri_captures()
    {
        Configure("""
            {"replace": {"uri": "/users/$(uri_captures.id)/profile"},
             "add": {"headers": ["X-Tenant:$(headers.x-org)-$(query_params.region)"]}}
            """, path: "~/api/(?<id>[0-9]+)$");

        var reply = await EchoReply.ReadAsync(await GetAsync("/api/42?region=eu", ("X-Org", "acme")));

        Assert.Equal("/users/42/profile", reply.Path);
        Assert.Equal("acme-eu", reply.Header("X-Tenant"));
    }

    [Fact]
    public async Task The_method_can_be_changed()
    {
        Configure("""{"http_method": "POST"}""");

        var reply = await EchoReply.ReadAsync(await GetAsync("/api"));

        Assert.Equal("POST", reply.Method);
    }
}
