using System.Text;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>Input no database accepts (NUL characters, broken UTF-16) is refused as a client error.</summary>
public class HostileInputTests(AdminPostgres postgres) : AdminTestBase(postgres)
{
    [Theory]
    [InlineData("/consumers/%00")]
    [InlineData("/consumers/a%00b/plugins")]
    [InlineData("/services/%C3%28")]
    [InlineData("/upstreams/%00/targets/x")]
    public async Task Keys_no_entity_can_have_are_not_found(string path)
    {
        var reply = await Client.GetAsync(path);
        Assert.True((int)reply.Status is 404 or 400, reply.Text);
    }

    [Theory]
    [InlineData("""{"username":"a\u0000b"}""")]
    [InlineData("""{"username":"ok","tags":["\u0000"]}""")]
    public async Task Nul_characters_are_a_400_naming_the_field(string body)
    {
        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/consumers", body));
        Assert.Equal(2, reply.Json["code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"username":"\ud800"}""")]
    [InlineData("""{"username":"ok","custom_id":"x\udc00y"}""")]
    public async Task Broken_utf16_escapes_are_unparseable_json(string body)
    {
        Assert.Equal("""{"message":"Cannot parse JSON body"}""", (await RefusedAsync(400, () => Client.PostJsonAsync("/consumers", body))).Text);
    }

    [Fact]
    public async Task Nul_characters_in_plugin_config_and_form_fields_are_a_400()
    {
        await RefusedAsync(400, () => Client.PostJsonAsync("/plugins", """{"name":"sample-limits","config":{"second":1,"policy":"lo\u0000cal"}}"""));
        await RefusedAsync(400, () => Client.PostFormAsync("/consumers", ("username", "a\0b")));
        await RefusedAsync(400, () => Client.PostJsonAsync("/routes", """{"paths":["/a"],"service":{"name":"x\u0000"}}"""));
    }

    [Fact]
    public async Task A_multipart_boundary_longer_than_the_standard_allows_is_a_400()
    {
        var boundary = new string('b', 71);
        var content = new StringContent($"--{boundary}\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nx\r\n--{boundary}--\r\n");
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");

        var reply = await RefusedAsync(400, () => Client.SendAsync(HttpMethod.Post, "/consumers", content));

        Assert.Contains("boundary", reply.Text);
    }

    [Fact]
    public async Task Invalid_utf8_bytes_in_a_json_body_are_a_400()
    {
        var content = new ByteArrayContent([.. Encoding.ASCII.GetBytes("{\"username\":\""), 0xC3, 0x28, .. Encoding.ASCII.GetBytes("\"}")]);
        content.Headers.ContentType = new("application/json");
        var reply = await Client.SendAsync(HttpMethod.Post, "/consumers", content);
        Assert.True((int)reply.Status is 400 or 201, reply.Text);
    }
}
