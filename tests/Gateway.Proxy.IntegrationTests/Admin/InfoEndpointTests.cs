using System.Text.Json.Nodes;
using Gateway.Proxy.Admin;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Store.Memory;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>Node information, status, schemas, the endpoint list and the OpenAPI document.</summary>
public class InfoEndpointTests : IAsyncLifetime
{
    private static readonly Guid NodeId = Guid.Parse("4a4ec3a6-3d7b-4ed4-9d0b-0f1a1f1d2f3e");
    private bool _databaseUp = true;
    private AdminApiHost? _host;
    private AdminClient Client => _host!.Client;

    public async Task InitializeAsync()
    {
        var parsed = DeclarativeParser.Parse("""
            _format_version: "3.0"
            plugins:
            - name: sample-limits
              config: {second: 1}
            """);
        Assert.True(parsed.IsValid, parsed.Describe());
        var options = new AdminApiOptions
        {
            NodeId = NodeId,
            Hostname = "gw-1",
            Database = "postgres",
            Plugins = [SampleLimits.Plugin],
            DatabaseReachable = _ => Task.FromResult(_databaseUp),
            Configuration = new Dictionary<string, string?> { ["admin_listen"] = "127.0.0.1:8001" },
        };
        _host = await AdminApiHost.StartAsync(new MemoryConfigStore(parsed.Config), options);
        _host.Snapshots.Swap(ConfigSnapshot.Compile(parsed.Config!.WithVersion(7)));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }

    [Fact]
    public async Task Root_describes_the_node_like_kong()
    {
        var json = (await Client.GetAsync("/")).Expect(200).Json;
        Assert.Equal("0.1.0", json["version"]!.GetValue<string>());
        Assert.Equal("gw-1", json["hostname"]!.GetValue<string>());
        Assert.Equal(NodeId.ToString(), json["node_id"]!.GetValue<string>());
        Assert.Equal("Welcome to tollgate", json["tagline"]!.GetValue<string>());
        Assert.Equal("postgres", json["configuration"]!["database"]!.GetValue<string>());
        Assert.Equal("127.0.0.1:8001", json["configuration"]!["admin_listen"]!.GetValue<string>());
        Assert.Equal(901, json["plugins"]!["available_on_server"]!["sample-limits"]!["priority"]!.GetValue<int>());
        Assert.Equal("""["sample-limits"]""", json["plugins"]!["enabled_in_cluster"]!.ToJsonString());
    }

    [Fact]
    public async Task Status_reports_database_reachability_server_counters_and_configuration()
    {
        var json = (await Client.GetAsync("/status")).Expect(200).Json;
        Assert.True(json["database"]!["reachable"]!.GetValue<bool>());
        Assert.True(json["server"]!["total_requests"]!.GetValue<long>() >= 1);
        Assert.True(json["server"]!["connections_active"]!.GetValue<long>() >= 1);
        Assert.Equal(7, json["configuration_version"]!.GetValue<long>());
        Assert.Equal("00000000000000000000000000000007", json["configuration_hash"]!.GetValue<string>());

        _databaseUp = false;
        Assert.False((await Client.GetAsync("/status")).Expect(200).Json["database"]!["reachable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Schemas_describe_entities_and_plugins()
    {
        var services = (await Client.GetAsync("/schemas/services")).Expect(200).Json;
        Assert.Contains(services["fields"]!.AsArray(), f => f!.AsObject().ContainsKey("host"));
        Assert.Equal("""{"message":"No entity named 'nothing'"}""", (await Client.GetAsync("/schemas/nothing")).Expect(404).Text);

        var plugin = (await Client.GetAsync("/schemas/plugins/sample-limits")).Expect(200).Json;
        var config = plugin["fields"]!.AsArray().Single(f => f!.AsObject().ContainsKey("config"))!["config"]!;
        Assert.Equal("record", config["type"]!.GetValue<string>());
        Assert.Equal("""{"message":"No plugin named 'rate-limiting'"}""", (await Client.GetAsync("/schemas/plugins/rate-limiting")).Expect(404).Text);
    }

    [Fact]
    public async Task Schema_validation_checks_without_storing()
    {
        Assert.Equal("""{"message":"schema validation successful"}""",
            (await Client.PostJsonAsync("/schemas/services/validate", """{"host":"a.com"}""")).Expect(200).Text);
        var bad = (await Client.PostFormAsync("/schemas/routes/validate", ("paths[]", "nope"))).Expect(400);
        Assert.Equal(2, bad.Json["code"]!.GetValue<int>());
        (await Client.PostJsonAsync("/schemas/plugins/validate", """{"name":"sample-limits","config":{"hour":1}}""")).Expect(200);
        (await Client.PostJsonAsync("/schemas/plugins/validate", """{"name":"rate-limiting"}""")).Expect(400);
        Assert.Empty((await _host!.Store.LoadAllAsync(CancellationToken.None)).Services);
    }

    [Fact]
    public async Task Endpoints_and_openapi_list_every_path()
    {
        var endpoints = (await Client.GetAsync("/endpoints")).Expect(200).Json["data"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Contains("/services/{services}/routes/{routes}", endpoints);
        Assert.Contains("/routes/{routes}/service", endpoints);

        var openApi = (await Client.GetAsync("/openapi.json")).Expect(200).Json;
        Assert.Equal("3.0.3", openApi["openapi"]!.GetValue<string>());
        foreach (var path in endpoints) Assert.True(openApi["paths"]!.AsObject().ContainsKey(path), path);
        Assert.Equal("""{"enabled_plugins":["sample-limits"]}""", (await Client.GetAsync("/plugins/enabled")).Expect(200).Text);
    }

    [Fact]
    public async Task Options_requests_are_answered_204_without_cors_headers_when_no_gui_origin_is_listed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/services");
        request.Headers.Add("Origin", "https://admin.example.com");
        request.Headers.Add("Access-Control-Request-Method", "PATCH");
        using var response = await Client.Http.SendAsync(request);
        Assert.Equal(204, (int)response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Head_is_answered_like_get_without_a_body()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "/services");
        using var response = await Client.Http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Methods_the_fixed_endpoints_do_not_serve_are_405()
    {
        (await Client.PostJsonAsync("/", "{}")).Expect(405);
        (await Client.PostJsonAsync("/status", "{}")).Expect(405);
        (await Client.DeleteAsync("/config")).Expect(405);
        (await Client.GetAsync("/schemas/services/validate")).Expect(405);
        JsonNode.Parse((await Client.GetAsync("/schemas/routes")).Expect(200).Text);
    }
}
