using System.Text;
using System.Text.Json.Nodes;
using Gateway.Proxy.Admin;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Store.Memory;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>DB-less mode: entities are read-only, POST /config replaces the configuration as a whole.</summary>
public class DbLessTests : IAsyncLifetime
{
    private const string Initial = """
        _format_version: "3.0"
        services:
        - name: billing
          url: http://billing.internal:8080
          routes:
          - name: invoices
            paths: [/invoices]
        consumers:
        - username: alice
        """;

    private AdminApiHost? _host;
    private AdminApiHost Host => _host!;
    private AdminClient Client => Host.Client;

    public async Task InitializeAsync()
    {
        var parsed = DeclarativeParser.Parse(Initial);
        Assert.True(parsed.IsValid, parsed.Describe());
        _host = await AdminApiHost.StartAsync(new MemoryConfigStore(parsed.Config),
            new AdminApiOptions { Database = "off", Plugins = [SampleLimits.Plugin] });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }

    [Fact]
    public async Task Reads_work()
    {
        Assert.Equal("billing", (await Client.GetAsync("/services/billing")).Expect(200).String("name"));
        Assert.Single((await Client.GetAsync("/services/billing/routes")).Expect(200).Json["data"]!.AsArray());
        Assert.Equal("billing", (await Client.GetAsync("/routes/invoices/service")).Expect(200).String("name"));
        Assert.Equal("alice", (await Client.GetAsync("/consumers/alice")).Expect(200).String("username"));
        var page = (await Client.GetAsync("/services?size=1")).Expect(200).Json;
        Assert.Single(page["data"]!.AsArray());
        Assert.Null(page["next"]);
    }

    [Fact]
    public async Task Entity_writes_answer_405_as_kong_does_without_a_database()
    {
        var before = await AdminPostgres.StateAsync(Host.Store);
        Assert.Equal("""{"code":12,"name":"operation unsupported","message":"cannot create 'services' entities when not using a database"}""",
            (await Client.PostJsonAsync("/services", """{"host":"a.com"}""")).Expect(405).Text);
        Assert.Equal("cannot create or update 'services' entities by 'name' when not using a database",
            (await Client.JsonAsync("PUT", "/services/other", """{"host":"a.com"}""")).Expect(405).String("message"));
        Assert.Equal("cannot update 'services' entities by 'name' when not using a database",
            (await Client.JsonAsync("PATCH", "/services/billing", """{"retries":1}""")).Expect(405).String("message"));
        Assert.Equal("cannot delete 'services' entities by 'name' when not using a database",
            (await Client.DeleteAsync("/services/billing")).Expect(405).String("message"));
        Assert.Equal("cannot delete 'consumers' entities when not using a database",
            (await Client.DeleteAsync($"/consumers/{Guid.NewGuid()}")).Expect(405).String("message"));
        Assert.Equal("cannot create 'routes' entities when not using a database",
            (await Client.PostFormAsync("/services/billing/routes", ("paths[]", "/x"))).Expect(405).String("message"));
        Assert.Equal(before, await AdminPostgres.StateAsync(Host.Store));
    }

    [Fact]
    public async Task Invalid_input_is_reported_before_the_405()
    {
        var reply = (await Client.PostJsonAsync("/services", """{"port":"x"}""")).Expect(400);
        Assert.Equal(2, reply.Json["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Post_config_with_raw_yaml_replaces_everything()
    {
        const string replacement = """
            _format_version: "3.0"
            services:
            - name: orders
              host: orders.internal
            upstreams:
            - name: pool
              targets:
              - target: 10.0.0.1
            """;
        var reply = (await Client.SendAsync(HttpMethod.Post, "/config", new StringContent(replacement, Encoding.UTF8, "text/yaml"))).Expect(201);
        var services = reply.Json["services"]!.AsObject();
        Assert.Single(services);
        var (id, service) = services.First();
        Assert.Equal(id, service!["id"]!.GetValue<string>());
        Assert.Equal("orders", service["name"]!.GetValue<string>());
        Assert.Equal("10.0.0.1:8000", reply.Json["targets"]!.AsObject().First().Value!["target"]!.GetValue<string>());

        (await Client.GetAsync("/services/billing")).Expect(404);
        (await Client.GetAsync("/services/orders")).Expect(200);
        Assert.Empty((await Client.GetAsync("/consumers")).Expect(200).Json["data"]!.AsArray());
    }

    [Fact]
    public async Task Post_config_brings_ca_certificates_and_the_services_that_trust_them()
    {
        var ca = TestAuthority.CreateRoot("DB-less CA");
        var caId = Guid.NewGuid().ToString();
        var document = new JsonObject
        {
            ["_format_version"] = "3.0",
            ["ca_certificates"] = new JsonArray(new JsonObject { ["id"] = caId, ["cert"] = ca.CertPem }),
            ["services"] = new JsonArray(new JsonObject
            {
                ["name"] = "secure", ["url"] = "https://secure.internal", ["tls_verify"] = true, ["ca_certificates"] = new JsonArray(caId),
            }),
        };

        (await Client.PostJsonAsync("/config", document.ToJsonString())).Expect(201);

        Assert.NotNull((await Client.GetAsync($"/ca_certificates/{caId}")).Expect(200).String("cert_digest"));
        Assert.Equal(caId, (await Client.GetAsync("/services/secure")).Expect(200).Json["ca_certificates"]![0]!.GetValue<string>());
        Assert.Equal("cannot delete 'ca_certificates' entities when not using a database",
            (await Client.DeleteAsync($"/ca_certificates/{caId}")).Expect(405).String("message"));
    }

    [Fact]
    public async Task Post_config_accepts_the_config_field_as_json_or_form_and_the_document_itself()
    {
        var yaml = "_format_version: \"3.0\"\nconsumers:\n- username: from-field\n";
        (await Client.PostJsonAsync("/config", new JsonObject { ["config"] = yaml }.ToJsonString())).Expect(201);
        (await Client.GetAsync("/consumers/from-field")).Expect(200);

        (await Client.PostFormAsync("/config", ("config", yaml.Replace("from-field", "from-form")))).Expect(201);
        (await Client.GetAsync("/consumers/from-form")).Expect(200);

        (await Client.PostJsonAsync("/config", """{"_format_version":"3.0","consumers":[{"username":"from-doc"}]}""")).Expect(201);
        (await Client.GetAsync("/consumers/from-doc")).Expect(200);
    }

    [Fact]
    public async Task An_invalid_configuration_is_refused_whole_with_nested_and_flattened_errors()
    {
        var before = await AdminPostgres.StateAsync(Host.Store);
        const string broken = """
            _format_version: "3.0"
            services:
            - name: fine
              host: fine.internal
            - name: broken
              host: broken.internal
              port: seventy
              routes:
              - name: r
                paths: [nope]
            """;
        var reply = (await Client.SendAsync(HttpMethod.Post, "/config", new StringContent(broken, Encoding.UTF8, "application/x-yaml"))).Expect(400);
        var json = reply.Json;
        Assert.Equal(14, json["code"]!.GetValue<int>());
        Assert.Equal("invalid declarative configuration", reply.String("name"));
        Assert.StartsWith("declarative config is invalid: {services={", reply.String("message"));
        Assert.Equal("expected an integer", json["fields"]!["services"]![1]!["port"]!.GetValue<string>());
        var flattened = json["flattened_errors"]!.AsArray();
        var service = flattened.Single(e => e!["entity_name"]?.GetValue<string>() == "broken")!;
        Assert.Equal("service", service["entity_type"]!.GetValue<string>());
        Assert.Contains(service["errors"]!.AsArray(), e => e!["field"]?.GetValue<string>() == "port" && e["type"]!.GetValue<string>() == "field");
        Assert.Contains(flattened, e => e!["entity_type"]!.GetValue<string>() == "route");
        Assert.Equal(before, await AdminPostgres.StateAsync(Host.Store));
    }

    [Fact]
    public async Task Dry_run_checks_without_applying()
    {
        var before = await AdminPostgres.StateAsync(Host.Store);
        var reply = (await Client.PostJsonAsync("/config?dry_run=true", """{"_format_version":"3.0","consumers":[{"username":"bob"}]}""")).Expect(200);
        Assert.Single(reply.Json["consumers"]!.AsObject());
        Assert.Equal(before, await AdminPostgres.StateAsync(Host.Store));
        (await Client.PostJsonAsync("/config?dry_run=true", """{"_format_version":"9.9"}""")).Expect(400);
    }

    [Fact]
    public async Task Empty_post_config_asks_for_a_configuration()
    {
        Assert.Equal("""{"message":"expected a declarative configuration"}""", (await Client.PostJsonAsync("/config", "{}")).Expect(400).Text);
        (await Client.SendAsync(HttpMethod.Post, "/config", new StringContent("", Encoding.UTF8, "text/yaml"))).Expect(400);
    }

    [Fact]
    public async Task Get_config_exports_yaml_that_reads_back_to_the_same_configuration()
    {
        var yaml = (await Client.GetAsync("/config")).Expect(200).String("config")!;
        Assert.Contains("_format_version: \"3.0\"", yaml);
        var reparsed = DeclarativeParser.Parse(yaml);
        Assert.True(reparsed.IsValid, reparsed.Describe());
        var stored = await Host.Store.LoadAllAsync(CancellationToken.None);
        Assert.Equal(stored.Services.Single().Id, reparsed.Config!.Services.Single().Id);

        var document = (await Client.GetAsync("/config?format=json")).Expect(200).Json;
        Assert.Equal("3.0", document["_format_version"]!.GetValue<string>());
        Assert.Equal("billing", document["services"]![0]!["name"]!.GetValue<string>());
    }
}
