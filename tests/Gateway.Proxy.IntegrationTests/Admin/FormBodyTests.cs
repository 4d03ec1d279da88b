using System.Text;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>Form-encoded and multipart bodies, as curl --data, --data-urlencode and -F send them.</summary>
public class FormBodyTests(AdminPostgres postgres) : AdminTestBase(postgres)
{
    [Fact]
    public async Task Array_syntaxes_and_dotted_map_keys_build_a_route()
    {
        await ServiceAsync("billing");
        var reply = (await Client.PostFormAsync("/routes",
            ("name", "r"), ("hosts[]", "a.example.com"), ("hosts[]", "b.example.com"),
            ("paths[2]", "/two"), ("paths[1]", "/one"),
            ("methods", "GET"), ("methods", "POST"),
            ("headers.x-version", "2"), ("strip_path", "false"), ("regex_priority", "7"),
            ("service.name", "billing"))).Expect(201);

        var json = reply.Json;
        Assert.Equal("""["a.example.com","b.example.com"]""", json["hosts"]!.ToJsonString());
        Assert.Equal("""["/one","/two"]""", json["paths"]!.ToJsonString());
        Assert.Equal("""["GET","POST"]""", json["methods"]!.ToJsonString());
        Assert.Equal("""{"x-version":["2"]}""", json["headers"]!.ToJsonString());
        Assert.False(json["strip_path"]!.GetValue<bool>());
        Assert.Equal(7, json["regex_priority"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_single_value_for_an_array_field_becomes_a_one_element_array()
    {
        var reply = (await Client.PostFormAsync("/routes", ("paths", "/only"), ("tags", "solo"))).Expect(201);
        Assert.Equal("""["/only"]""", reply.Json["paths"]!.ToJsonString());
        Assert.Equal("""["solo"]""", reply.Json["tags"]!.ToJsonString());
    }

    [Fact]
    public async Task Url_encoded_regex_paths_arrive_intact()
    {
        // curl --data-urlencode 'paths[]=~/status/\d+'
        var reply = (await Client.PostFormAsync("/routes", ("paths[]", @"~/status/\d+"))).Expect(201);
        Assert.Equal(@"~/status/\d+", reply.Json["paths"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task An_empty_form_value_clears_a_field()
    {
        await ServiceAsync("billing");
        var reply = (await Client.FormAsync("PATCH", "/services/billing", ("path", ""), ("name", "renamed"))).Expect(200);
        Assert.Null(reply.Json["path"]);
        Assert.Equal("renamed", reply.String("name"));
    }

    [Fact]
    public async Task Multipart_fields_work_like_url_encoded_ones()
    {
        var certificate = TestCertificate.Create("upload.example.com");
        // curl -F cert=@cert.pem -F key=@key.pem -F tags[]=uploaded
        var content = new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes(certificate.Cert)), "cert", "cert.pem" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(certificate.Key)), "key", "key.pem" },
            { new StringContent("uploaded"), "tags[]" },
        };
        var reply = (await Client.SendAsync(HttpMethod.Post, "/certificates", content)).Expect(201);
        Assert.Equal(certificate.Cert, reply.String("cert"));
        Assert.Equal("""["uploaded"]""", reply.Json["tags"]!.ToJsonString());

        var plugin = (await Client.PostMultipartAsync("/plugins", ("name", "sample-limits"), ("config.minute", "5"))).Expect(201);
        Assert.Equal(5, plugin.Json["config"]!["minute"]!.GetValue<int>());
    }

    [Fact]
    public async Task Without_a_content_type_json_and_forms_are_both_understood()
    {
        var json = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"username":"json-user"}"""));
        (await Client.SendAsync(HttpMethod.Post, "/consumers", json)).Expect(201);
        var form = new ByteArrayContent(Encoding.UTF8.GetBytes("username=form-user&tags[]=a"));
        var reply = (await Client.SendAsync(HttpMethod.Post, "/consumers", form)).Expect(201);
        Assert.Equal("""["a"]""", reply.Json["tags"]!.ToJsonString());
    }

    [Fact]
    public async Task Form_values_that_do_not_fit_the_schema_are_reported_on_their_field()
    {
        var reply = await RefusedAsync(400, () => Client.PostFormAsync("/services", ("host", "a.com"), ("port", "eighty"), ("enabled", "maybe")));
        Assert.Equal("expected an integer", reply.Json["fields"]!["port"]!.GetValue<string>());
        Assert.Equal("expected a boolean", reply.Json["fields"]!["enabled"]!.GetValue<string>());
    }
}
