using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Proxy.IntegrationTests.Plugins;
using Gateway.Proxy.Store.Postgres;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.EndToEnd;

/// <summary>Credentials and auth plugins created through the Admin API of a whole gateway protect its proxy at once.</summary>
public class CredentialsEndToEndTests(PostgresClassFixture postgres) : IClassFixture<PostgresClassFixture>
{
    [Fact]
    public async Task Credentials_created_through_the_admin_api_authenticate_on_the_proxy()
    {
        var cs = await postgres.Server.CreateDatabaseAsync();
        await Migrator.MigrateAsync(cs, CancellationToken.None);
        await using var upstream = await EchoUpstream.StartAsync("creds");
        await using var gateway = await InProcessGateway.StartAsync(cs);
        var admin = gateway.Admin;
        await Loopback.CreateServiceWithRouteAsync(admin, "basic", upstream.Url, "/basic");
        await Loopback.CreateServiceWithRouteAsync(admin, "token", upstream.Url, "/token");
        await Loopback.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/consumers", Loopback.Form(("username", "alice"))));
        await Loopback.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/consumers/alice/basic-auth", Loopback.Form(("username", "Aladdin"), ("password", "OpenSesame"))));
        var jwt = JsonNode.Parse(await Loopback.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/consumers/alice/jwt", Loopback.Form())))!;
        await Loopback.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/services/basic/plugins", Loopback.Form(("name", "basic-auth"))));
        await Loopback.ExpectAsync(HttpStatusCode.Created, admin.PostAsJsonAsync("/services/token/plugins", new { name = "jwt", config = new { claims_to_verify = new[] { "exp" } } }));
        await Loopback.WaitForStatusAsync(gateway.Proxy, "/basic", HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10));
        await Loopback.WaitForStatusAsync(gateway.Proxy, "/token", HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10));

        using var basic = new HttpRequestMessage(HttpMethod.Get, "/basic");
        basic.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("Aladdin:OpenSesame")));
        using var basicResponse = await gateway.Proxy.SendAsync(basic);
        var token = TestTokens.Hmac($$"""{"iss": "{{jwt["key"]}}", "exp": {{TestTokens.Now + 60}}}""", jwt["secret"]!.GetValue<string>());
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/token");
        bearer.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var tokenResponse = await gateway.Proxy.SendAsync(bearer);

        Assert.Equal("Aladdin", (await Proxying.EchoReply.ReadAsync(basicResponse)).Header("X-Credential-Identifier"));
        Assert.Equal("alice", (await Proxying.EchoReply.ReadAsync(tokenResponse)).Header("X-Consumer-Username"));
    }
}
