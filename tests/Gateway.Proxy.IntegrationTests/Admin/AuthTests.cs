using Gateway.Proxy.Admin;
using Gateway.Proxy.Store.Memory;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>With a token configured, every request must present it.</summary>
public class AuthTests : IAsyncLifetime
{
    private const string Token = "s3cr3t-token";
    private AdminApiHost? _host;
    private AdminClient Client => _host!.Client;

    public async Task InitializeAsync() =>
        _host = await AdminApiHost.StartAsync(new MemoryConfigStore(), new AdminApiOptions { Token = Token, Database = "off" });

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/services")]
    [InlineData("/status")]
    [InlineData("/openapi.json")]
    [InlineData("/nothing")]
    public async Task Requests_without_the_token_are_401(string path)
    {
        Assert.Equal("""{"message":"Unauthorized"}""", (await Client.GetAsync(path)).Expect(401).Text);
    }

    [Fact]
    public async Task A_wrong_token_is_401_in_either_header()
    {
        (await Client.SendAsync(HttpMethod.Get, "/", null, h => h.Authorization = new("Bearer", "wrong"))).Expect(401);
        (await Client.SendAsync(HttpMethod.Get, "/", null, h => h.Add("Kong-Admin-Token", "wrong"))).Expect(401);
        (await Client.SendAsync(HttpMethod.Get, "/", null, h => h.Authorization = new("Basic", Token))).Expect(401);
        (await Client.SendAsync(HttpMethod.Get, "/", null, h => h.Authorization = new("Bearer", Token + "x"))).Expect(401);
    }

    [Fact]
    public async Task The_token_is_accepted_as_bearer_or_kong_admin_token()
    {
        (await Client.SendAsync(HttpMethod.Get, "/services", null, h => h.Authorization = new("Bearer", Token))).Expect(200);
        (await Client.SendAsync(HttpMethod.Get, "/services", null, h => h.Add("Kong-Admin-Token", Token))).Expect(200);
    }

    [Fact]
    public async Task Writes_without_the_token_are_refused_before_anything_else()
    {
        (await Client.PostJsonAsync("/config", """{"_format_version":"3.0","consumers":[{"username":"x"}]}""")).Expect(401);
        Assert.Empty((await _host!.Store.LoadAllAsync(CancellationToken.None)).Consumers);
    }
}
