using System.Text;
using Gateway.Proxy.Admin;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Store.Memory;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>
/// DNS rebinding: a page on evil.example whose name is made to resolve to 127.0.0.1 reaches a loopback Admin API,
/// but its requests say Host: evil.example. Without a token only loopback Host names are served; with one, any.
/// </summary>
public class HostHeaderTests : IAsyncLifetime
{
    private const string Token = "t0ken";
    private AdminApiHost? _open;
    private AdminApiHost? _guarded;

    public async Task InitializeAsync()
    {
        var parsed = DeclarativeParser.Parse("_format_version: \"3.0\"\nconsumers:\n- username: alice\n");
        Assert.True(parsed.IsValid, parsed.Describe());
        _open = await AdminApiHost.StartAsync(new MemoryConfigStore(parsed.Config), new AdminApiOptions { Database = "off" });
        _guarded = await AdminApiHost.StartAsync(new MemoryConfigStore(parsed.Config), new AdminApiOptions { Database = "off", Token = Token });
    }

    public async Task DisposeAsync()
    {
        if (_open is not null) await _open.DisposeAsync();
        if (_guarded is not null) await _guarded.DisposeAsync();
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:8001")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("localhost.evil.example")]
    [InlineData("app.localhost")]
    [InlineData("10.0.0.1")]
    [InlineData("0.0.0.0:8001")]
    [InlineData("[::2]:8001")]
    [InlineData("[::ffff:10.0.0.1]")]
    public async Task Without_a_token_a_non_loopback_host_is_refused_for_reads_and_writes(string host)
    {
        var read = (await _open!.Client.SendAsync(HttpMethod.Get, "/consumers", null, h => h.Host = host)).Expect(403);
        Assert.Contains("not a loopback name or address", read.String("message"));
        (await _open.Client.SendAsync(HttpMethod.Post, "/config",
            new StringContent("_format_version: \"3.0\"\n", Encoding.UTF8, "application/yaml"), h => h.Host = host)).Expect(403);
        (await _open.Client.GetAsync("/consumers/alice")).Expect(200);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LocalHost:8001")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:8001")]
    [InlineData("127.8.9.10:8001")]
    [InlineData("[::1]")]
    [InlineData("[::1]:8001")]
    [InlineData("[::ffff:127.0.0.1]:8001")]
    public async Task Without_a_token_loopback_names_and_addresses_are_served(string host)
    {
        (await _open!.Client.SendAsync(HttpMethod.Get, "/consumers/alice", null, h => h.Host = host)).Expect(200);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("gw-admin.tollgate-system.svc:8001")]
    [InlineData("10.0.0.1:8001")]
    public async Task With_a_token_any_host_is_served_to_holders_of_the_token(string host)
    {
        (await _guarded!.Client.SendAsync(HttpMethod.Get, "/consumers/alice", null, h =>
        {
            h.Host = host;
            h.Add("Kong-Admin-Token", Token);
        })).Expect(200);
        (await _guarded.Client.SendAsync(HttpMethod.Get, "/consumers/alice", null, h => h.Host = host)).Expect(401);
    }
}
