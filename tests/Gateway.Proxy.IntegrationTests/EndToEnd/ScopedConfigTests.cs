using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Settings;
using Gateway.Proxy.Store.Postgres;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.EndToEnd;

/// <summary>
/// POST /config with decK's <c>_info.select_tags</c> on a whole gateway, on Postgres and without a database: only the
/// entities carrying the tags are replaced, atomically; hand-made entities keep serving traffic; the same document
/// twice writes nothing.
/// </summary>
public class ScopedConfigTests(PostgresClassFixture postgres) : IClassFixture<PostgresClassFixture>
{
    private const string Tag = "tollgate-operator:default.edge";

    private static string Document(string upstream, string routes) => $$$"""
        {
          "_format_version": "3.0",
          "_info": {"select_tags": ["{{{Tag}}}"], "default_lookup_tags": {"services": []}},
          "services": [{"id": "6b0e3c53-5a4a-4df0-9a53-1f0c3c0b7f10", "name": "edge", "url": "{{{upstream}}}", "tags": ["{{{Tag}}}"],
                        "routes": [{{{routes}}}]}],
          "routes": [{"id": "0c1f9b2e-7a43-4b8e-8d61-0a4d9c2f6e11", "name": "extra", "paths": ["/manual-extra"],
                      "service": "manual", "tags": ["{{{Tag}}}"]}]
        }
        """;

    private static string Route(string id, string name, string path) =>
        $$"""{"id": "{{id}}", "name": "{{name}}", "paths": ["{{path}}"], "tags": ["{{Tag}}"]}""";

    private const string FooId = "3e7a1d6c-2b8f-4c1e-9f5a-7d2c8b4e1a01";
    private const string BarId = "3e7a1d6c-2b8f-4c1e-9f5a-7d2c8b4e1a02";

    [Theory]
    [InlineData("postgres")]
    [InlineData("off")]
    public async Task A_scoped_document_replaces_its_own_entities_and_leaves_hand_made_ones_serving(string database)
    {
        await using var upstream = await EchoUpstream.StartAsync("scoped");
        await using var gateway = await StartAsync(database, upstream.Url);
        await Loopback.WaitForStatusAsync(gateway.Proxy, "/manual", HttpStatusCode.OK, TimeSpan.FromSeconds(10));

        var first = Document(upstream.Url, Route(FooId, "foo", "/foo"));
        var created = await PostAsync(gateway, first);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(3, created.Body!["_changes"]!["created"]!.GetValue<int>());
        Assert.Equal(FooId, created.Body["routes"]![FooId]!["id"]!.GetValue<string>());
        await Loopback.WaitForStatusAsync(gateway.Proxy, "/foo", HttpStatusCode.OK, TimeSpan.FromSeconds(10));
        await Loopback.WaitForStatusAsync(gateway.Proxy, "/manual-extra", HttpStatusCode.OK, TimeSpan.FromSeconds(10));

        await AssertNoChangeAsync(gateway, first);

        // /foo leaves the document, /bar enters it: /foo is deleted, the hand-made route still serves.
        var replaced = await PostAsync(gateway, Document(upstream.Url, Route(BarId, "bar", "/bar")));
        Assert.Equal(HttpStatusCode.Created, replaced.Status);
        Assert.Equal("""{"created":1,"updated":0,"deleted":1}""", replaced.Body!["_changes"]!.ToJsonString());
        await Loopback.WaitForStatusAsync(gateway.Proxy, "/bar", HttpStatusCode.OK, TimeSpan.FromSeconds(10));
        await Loopback.WaitForStatusAsync(gateway.Proxy, "/foo", HttpStatusCode.NotFound, TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await gateway.Proxy.GetAsync("/manual")).StatusCode);
        var manual = await gateway.Admin.GetStringAsync("/services/manual");
        Assert.DoesNotContain(Tag, manual);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("off")]
    public async Task A_document_with_one_bad_entity_changes_nothing_and_says_which_entity_failed(string database)
    {
        await using var upstream = await EchoUpstream.StartAsync("scoped");
        await using var gateway = await StartAsync(database, upstream.Url);
        var applied = await PostAsync(gateway, Document(upstream.Url, Route(FooId, "foo", "/foo")));
        Assert.True(applied.Status == HttpStatusCode.Created, applied.Body?.ToJsonString());
        await Loopback.WaitForStatusAsync(gateway.Proxy, "/foo", HttpStatusCode.OK, TimeSpan.FromSeconds(10));
        var hash = await ConfigurationHashAsync(gateway);

        var bad = Document(upstream.Url, Route(BarId, "bar", "/bar") + ", " + Route(FooId, "foo", "no-slash"));
        var refused = await PostAsync(gateway, bad, "?flatten_errors=1");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal(14, refused.Body!["code"]!.GetValue<int>());
        var entry = Assert.Single(refused.Body["flattened_errors"]!.AsArray())!;
        Assert.Equal("route", entry["entity_type"]!.GetValue<string>());
        Assert.Equal("foo", entry["entity_name"]!.GetValue<string>());
        Assert.Equal(FooId, entry["entity_id"]!.GetValue<string>());
        Assert.Equal(Tag, entry["entity_tags"]![0]!.GetValue<string>());
        Assert.Equal("paths", entry["errors"]![0]!["field"]!.GetValue<string>());

        // An entry without the select tags names itself.
        var untagged = Document(upstream.Url, """{"name": "loose", "paths": ["/loose"]}""");
        var loose = await PostAsync(gateway, untagged, "?flatten_errors=1");
        Assert.Equal(HttpStatusCode.BadRequest, loose.Status);
        Assert.Equal("loose", loose.Body!["flattened_errors"]![0]!["entity_name"]!.GetValue<string>());
        Assert.Equal("tags", loose.Body["flattened_errors"]![0]!["errors"]![0]!["field"]!.GetValue<string>());

        // A tagged entity may not take the id of the hand-made service: refused, naming both.
        var manualId = JsonNode.Parse(await gateway.Admin.GetStringAsync("/services/manual"))!["id"]!.GetValue<string>();
        var taking = Document(upstream.Url, "").Replace("6b0e3c53-5a4a-4df0-9a53-1f0c3c0b7f10", manualId);
        var conflict = await PostAsync(gateway, taking, "?flatten_errors=1");
        Assert.Equal(HttpStatusCode.BadRequest, conflict.Status);
        var collision = conflict.Body!["flattened_errors"]![0]!;
        Assert.Equal(("service", "edge"), (collision["entity_type"]!.GetValue<string>(), collision["entity_name"]!.GetValue<string>()));
        Assert.Contains("service 'manual'", collision["errors"]![0]!["message"]!.GetValue<string>());

        Assert.Equal(hash, await ConfigurationHashAsync(gateway));
        Assert.Equal(HttpStatusCode.OK, (await gateway.Proxy.GetAsync("/foo")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Proxy.GetAsync("/bar")).StatusCode);
    }

    private static string CredentialDocument(string upstream, string password) => $$$"""
        {
          "_format_version": "3.0",
          "_info": {"select_tags": ["{{{Tag}}}"]},
          "services": [{"id": "6b0e3c53-5a4a-4df0-9a53-1f0c3c0b7f10", "name": "edge", "url": "{{{upstream}}}", "tags": ["{{{Tag}}}"],
                        "routes": [{{{Route(FooId, "foo", "/foo")}}}],
                        "plugins": [{"name": "basic-auth", "tags": ["{{{Tag}}}"]}]}],
          "consumers": [{"username": "ann", "tags": ["{{{Tag}}}"],
                         "basicauth_credentials": [{"username": "ann", "password": "{{{password}}}", "tags": ["{{{Tag}}}"]}]}]
        }
        """;

    [Theory]
    [InlineData("postgres")]
    [InlineData("off")]
    public async Task A_basic_auth_password_posted_again_is_no_change_and_a_new_password_is_one(string database)
    {
        await using var upstream = await EchoUpstream.StartAsync("scoped");
        await using var gateway = await StartAsync(database, upstream.Url);
        using var withOld = Authenticated(gateway, "ann", "s3cret");
        using var withNew = Authenticated(gateway, "ann", "n3w-s3cret");
        var first = CredentialDocument(upstream.Url, "s3cret");
        var created = await PostAsync(gateway, first);
        Assert.True(created.Status == HttpStatusCode.Created, created.Body?.ToJsonString());
        await Loopback.WaitForStatusAsync(withOld, "/foo", HttpStatusCode.OK, TimeSpan.FromSeconds(10));
        // The password is stored salted, yet the same document again writes nothing.
        await AssertNoChangeAsync(gateway, first);

        var changed = await PostAsync(gateway, CredentialDocument(upstream.Url, "n3w-s3cret"));
        Assert.Equal(HttpStatusCode.Created, changed.Status);
        Assert.Equal("""{"created":0,"updated":1,"deleted":0}""", changed.Body!["_changes"]!.ToJsonString());
        await Loopback.WaitForStatusAsync(withNew, "/foo", HttpStatusCode.OK, TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await withOld.GetAsync("/foo")).StatusCode);
    }

    /// <summary>The same document again: nothing written, no new configuration version.</summary>
    private static async Task AssertNoChangeAsync(InProcessGateway gateway, string document)
    {
        var hash = await ConfigurationHashAsync(gateway);
        var again = await PostAsync(gateway, document);
        Assert.Equal("""{"created":0,"updated":0,"deleted":0}""", again.Body!["_changes"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(HttpStatusCode.NotModified, (await PostAsync(gateway, document, "?check_hash=1")).Status);
        Assert.Equal(hash, await ConfigurationHashAsync(gateway));
    }

    private static HttpClient Authenticated(InProcessGateway gateway, string username, string password) => new()
    {
        BaseAddress = gateway.Proxy.BaseAddress,
        DefaultRequestHeaders = { Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"))) },
    };

    [Fact]
    public async Task The_same_document_after_a_change_through_another_node_puts_its_entities_back()
    {
        await using var upstream = await EchoUpstream.StartAsync("scoped");
        await using var gateway = await StartAsync("postgres", upstream.Url);
        var document = Document(upstream.Url, Route(FooId, "foo", "/foo"));
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(gateway, document, "?check_hash=1")).Status);
        Assert.Equal(HttpStatusCode.NotModified, (await PostAsync(gateway, document, "?check_hash=1")).Status);

        // A second proxy on the same database moves the document's route by hand.
        await using var other = await InProcessGateway.StartAsync(gateway.Settings.PgConnection!);
        using var moved = await other.Admin.PatchAsync($"/routes/{FooId}",
            new StringContent("""{"paths": ["/elsewhere"]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        await Loopback.WaitForStatusAsync(gateway.Proxy, "/foo", HttpStatusCode.NotFound, TimeSpan.FromSeconds(10));

        var restored = await PostAsync(gateway, document, "?check_hash=1");
        Assert.Equal(HttpStatusCode.Created, restored.Status);
        Assert.Equal("""{"created":0,"updated":1,"deleted":0}""", restored.Body!["_changes"]!.ToJsonString());
        await Loopback.WaitForStatusAsync(gateway.Proxy, "/foo", HttpStatusCode.OK, TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.NotModified, (await PostAsync(gateway, document, "?check_hash=1")).Status);
    }

    /// <summary>
    /// A gateway holding one hand-made service with a route at /manual: made through the Admin API on Postgres, from
    /// the declarative file without a database.
    /// </summary>
    private async Task<InProcessGateway> StartAsync(string database, string upstream)
    {
        if (database == "postgres")
        {
            var cs = await postgres.Server.CreateDatabaseAsync();
            await Migrator.MigrateAsync(cs, CancellationToken.None);
            var gateway = await InProcessGateway.StartAsync(cs);
            await Loopback.CreateServiceWithRouteAsync(gateway.Admin, "manual", upstream, "/manual");
            return gateway;
        }
        var file = DeclarativeParser.Parse($"""
            _format_version: "3.0"
            services:
            - name: manual
              url: {upstream}
              routes:
              - name: manual
                paths: [/manual]
            """);
        Assert.True(file.IsValid, file.Describe());
        return await InProcessGateway.StartAsync("", null, s => s with { Database = DatabaseMode.Off }, file.Config!.WithVersion(1));
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(InProcessGateway gateway, string json, string query = "")
    {
        using var response = await gateway.Admin.PostAsync("/config" + query, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static async Task<string> ConfigurationHashAsync(InProcessGateway gateway) =>
        JsonNode.Parse(await gateway.Admin.GetStringAsync("/status"))!["configuration_hash"]!.GetValue<string>();
}
