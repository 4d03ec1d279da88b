using System.Net;
using Gateway.Proxy.Store.Postgres;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.EndToEnd;

/// <summary>
/// The seed's Admin API session on one proxy, its effect on the other proxy's traffic: a consumer and its key, key-auth
/// on a route, then the plugin disabled and the consumer deleted, each change reaching the second proxy by itself.
/// </summary>
public class PluginPropagationTests(PostgresClassFixture postgres) : IClassFixture<PostgresClassFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Plugin_and_credential_changes_on_proxy_a_take_effect_on_proxy_b()
    {
        var cs = await postgres.Server.CreateDatabaseAsync();
        await Migrator.MigrateAsync(cs, CancellationToken.None);
        await using var upstream = await EchoUpstream.StartAsync("api");
        await using var a = await InProcessGateway.StartAsync(cs);
        await using var b = await InProcessGateway.StartAsync(cs);
        await Loopback.CreateServiceWithRouteAsync(a.Admin, "api", upstream.Url, "/api");
        await Loopback.WaitForStatusAsync(b.Proxy, "/api", HttpStatusCode.OK, Limit);

        await Loopback.ExpectAsync(HttpStatusCode.Created, a.Admin.PostAsync("/consumers/", Loopback.Form(("username", "slow_user"))));
        await Loopback.ExpectAsync(HttpStatusCode.Created, a.Admin.PostAsync("/consumers/slow_user/key-auth/", Loopback.Form(("key", "332d05445a560ee65a76aeaa372d8904"))));
        var plugin = await Loopback.ExpectAsync(HttpStatusCode.Created, a.Admin.PostAsync("/services/api/plugins", Loopback.Form(("name", "key-auth"))));
        var pluginId = System.Text.Json.JsonDocument.Parse(plugin).RootElement.GetProperty("id").GetString();

        await Loopback.WaitForStatusAsync(b.Proxy, "/api", HttpStatusCode.Unauthorized, Limit);
        using (var keyed = new HttpRequestMessage(HttpMethod.Get, "/api"))
        {
            keyed.Headers.Add("apikey", "332d05445a560ee65a76aeaa372d8904");
            Assert.Equal(HttpStatusCode.OK, (await b.Proxy.SendAsync(keyed)).StatusCode);
        }

        await Loopback.ExpectAsync(HttpStatusCode.OK, a.Admin.PatchAsync($"/plugins/{pluginId}", Loopback.Form(("enabled", "false"))));
        await Loopback.WaitForStatusAsync(b.Proxy, "/api", HttpStatusCode.OK, Limit);

        await Loopback.ExpectAsync(HttpStatusCode.OK, a.Admin.PatchAsync($"/plugins/{pluginId}", Loopback.Form(("enabled", "true"))));
        await Loopback.WaitForStatusAsync(b.Proxy, "/api", HttpStatusCode.Unauthorized, Limit);
        await Loopback.ExpectAsync(HttpStatusCode.NoContent, a.Admin.DeleteAsync("/consumers/slow_user"));
        // Deleting the consumer deletes its key with it.
        await WaitForKeyedStatusAsync(b.Proxy, "332d05445a560ee65a76aeaa372d8904", HttpStatusCode.Unauthorized);
    }

    private static async Task WaitForKeyedStatusAsync(HttpClient proxy, string key, HttpStatusCode status)
    {
        var deadline = DateTime.UtcNow + Limit;
        HttpStatusCode last;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api");
            request.Headers.Add("apikey", key);
            using var response = await proxy.SendAsync(request);
            last = response.StatusCode;
            if (last == status) return;
            await Task.Delay(5);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail($"/api with the key still answers {(int)last}, not {(int)status}");
    }
}
