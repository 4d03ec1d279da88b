using System.Text.Json.Nodes;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>Create, read, list, update, replace and delete for every kind of entity.</summary>
public class EntityCrudTests(AdminPostgres postgres) : AdminTestBase(postgres)
{
    /// <summary>
    /// The life of one entity at <paramref name="collection"/>: POST 201, GET by id (and key), listed, PATCH 200
    /// changing one field, PUT 200 replacing it, DELETE 204, then GET 404 and DELETE again.
    /// </summary>
    private async Task LifecycleAsync(string collection, string create, string? key, string patch, string patchedField,
        string put, string putField)
    {
        var created = (await Client.PostJsonAsync(collection, create)).Expect(201);
        var id = created.Id;
        var item = $"{collection}/{id}";

        AssertSame(created.Body, (await Client.GetAsync(item)).Expect(200).Body);
        if (key is not null) Assert.Equal(id, (await Client.GetAsync($"{collection}/{key}")).Expect(200).Id);
        var listed = (await Client.GetAsync(collection)).Expect(200).Json["data"]!.AsArray();
        Assert.Contains(listed, e => e!["id"]!.GetValue<string>() == id);

        var patched = (await Client.JsonAsync("PATCH", item, patch)).Expect(200);
        Assert.Equal(id, patched.Id);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(patch)![patchedField], patched.Json[patchedField]), patched.Text);
        Assert.Equal(created.Json["created_at"]!.GetValue<long>(), patched.Json["created_at"]!.GetValue<long>());

        var replaced = (await Client.JsonAsync("PUT", item, put)).Expect(200);
        Assert.Equal(id, replaced.Id);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(put)![putField], replaced.Json[putField]), replaced.Text);
        AssertSame(replaced.Body, (await Client.GetAsync(item)).Expect(200).Body);

        (await Client.DeleteAsync(item)).Expect(204);
        Assert.Equal("""{"message":"Not found"}""", (await Client.GetAsync(item)).Expect(404).Text);
        // Deleting what is gone is fine at the top level; under a parent Kong answers 404.
        (await Client.DeleteAsync(item)).Expect(collection.Count(c => c == '/') == 1 ? 204 : 404);
    }

    private static void AssertSame(JsonNode? expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected?.ToJsonString()}\nactual   {actual?.ToJsonString()}");

    [Fact]
    public Task Services() => LifecycleAsync("/services",
        """{"name":"billing","url":"https://billing.internal:8443/v1","tags":["team-a"]}""", "billing",
        """{"retries":2}""", "retries",
        """{"name":"billing","host":"billing.internal"}""", "host");

    [Fact]
    public async Task Routes()
    {
        var service = await ServiceAsync("billing");
        await LifecycleAsync("/routes",
            $$$"""{"name":"invoices","paths":["/invoices"],"methods":["GET","POST"],"service":{"id":"{{{service}}}"}}""", "invoices",
            """{"hosts":["billing.example.com"]}""", "hosts",
            """{"name":"invoices","paths":["/v2/invoices"]}""", "paths");
    }

    [Fact]
    public Task Upstreams() => LifecycleAsync("/upstreams",
        """{"name":"billing.upstream","algorithm":"least-connections"}""", "billing.upstream",
        """{"slots":100}""", "slots",
        """{"name":"billing.upstream","algorithm":"round-robin"}""", "algorithm");

    [Fact]
    public Task Consumers() => LifecycleAsync("/consumers",
        """{"username":"alice","custom_id":"A-1"}""", "alice",
        """{"custom_id":"A-2"}""", "custom_id",
        """{"username":"alice","tags":["vip"]}""", "tags");

    [Fact]
    public Task Plugins() => LifecycleAsync("/plugins",
        """{"name":"sample-limits","instance_name":"global-limits","config":{"minute":10}}""", "global-limits",
        """{"enabled":false}""", "enabled",
        """{"name":"sample-limits","instance_name":"global-limits","protocols":["http"],"config":{"hour":100}}""", "protocols");

    [Fact]
    public async Task Certificates()
    {
        var first = TestCertificate.Create("a.example.com");
        var second = TestCertificate.Create("b.example.com");
        await LifecycleAsync("/certificates", first.Json, null,
            """{"tags":["edge"]}""", "tags",
            second.Json, "cert");
    }

    [Fact]
    public async Task Snis()
    {
        var certificate = await CreateAsync("/certificates", TestCertificate.Create("a.example.com").Json);
        await LifecycleAsync("/snis",
            $$$"""{"name":"a.example.com","certificate":{"id":"{{{certificate}}}"}}""", "a.example.com",
            """{"tags":["edge"]}""", "tags",
            $$$"""{"name":"*.example.com","certificate":{"id":"{{{certificate}}}"}}""", "name");
    }

    [Fact]
    public async Task Targets_live_under_their_upstream()
    {
        await CreateAsync("/upstreams", """{"name":"pool"}""");
        await LifecycleAsync("/upstreams/pool/targets",
            """{"target":"10.0.0.1:8080","weight":50}""", "10.0.0.1:8080",
            """{"weight":0}""", "weight",
            """{"target":"10.0.0.1:8080","weight":200}""", "weight");
    }

    [Fact]
    public Task CaCertificates() => LifecycleAsync("/ca_certificates",
        TestAuthority.CreateRoot("Lifecycle CA").Json, null,
        """{"tags":["pki"]}""", "tags",
        TestAuthority.CreateRoot("Replacement CA").Json, "cert");

    [Fact]
    public async Task Put_replaces_the_whole_entity_so_omitted_fields_return_to_defaults()
    {
        var id = await CreateAsync("/services", """{"name":"billing","host":"b.internal","retries":1,"read_timeout":5,"tags":["x"]}""");
        var replaced = (await Client.JsonAsync("PUT", $"/services/{id}", """{"host":"c.internal"}""")).Expect(200);
        Assert.Equal(5, replaced.Json["retries"]!.GetValue<int>());
        Assert.Equal(60000, replaced.Json["read_timeout"]!.GetValue<int>());
        Assert.Null(replaced.Json["tags"]);
        Assert.Null(replaced.Json["name"]);
    }

    [Fact]
    public async Task Entities_come_back_with_every_field_and_explicit_nulls()
    {
        var reply = (await Client.PostJsonAsync("/services", """{"host":"example.com"}""")).Expect(201);
        var expected = new[]
        {
            "id", "created_at", "updated_at", "tags", "name", "retries", "protocol", "host", "port", "path",
            "connect_timeout", "write_timeout", "read_timeout", "tls_verify", "enabled",
        };
        foreach (var field in expected) Assert.True(reply.Json.ContainsKey(field), field);
        Assert.Equal("http", reply.String("protocol"));
        Assert.Equal(80, reply.Json["port"]!.GetValue<int>());
        Assert.Null(reply.Json["path"]);
    }
}
