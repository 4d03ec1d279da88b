using System.Net;
using Gateway.Proxy.Store.Postgres;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.EndToEnd;

/// <summary>A proxy process that starts while Postgres is down serves its last-known-good cache.</summary>
public class CacheStartTests(PostgresClassFixture postgres) : IClassFixture<PostgresClassFixture>
{
    [Fact]
    public async Task Executable_started_while_postgres_is_down_serves_the_cached_routes()
    {
        var cs = await postgres.Server.CreateDatabaseAsync();
        await Migrator.MigrateAsync(cs, CancellationToken.None);
        var cacheDir = Directory.CreateTempSubdirectory("tollgate-e2e-cache-").FullName;
        try
        {
            await using var upstream = await EchoUpstream.StartAsync("cached");
            await using (var first = await InProcessGateway.StartAsync(cs, cacheDir))
            {
                await Loopback.CreateServiceWithRouteAsync(first.Admin, "a", upstream.Url, "/a");
                await Loopback.WaitForStatusAsync(first.Proxy, "/a", HttpStatusCode.OK, TimeSpan.FromSeconds(10));
                Assert.True(File.Exists(Path.Combine(cacheDir, "config-cache.json")), "the cache file was not written");
            }
            await postgres.Server.StopAsync();

            var proxy = Loopback.FreeAddress();
            var status = Loopback.FreeAddress();
            var env = Loopback.ServeEnvironment("postgres", cs, proxy, Loopback.FreeAddress(), status, cacheDir);
            await using var process = GatewayExecutable.Start(env, "serve");
            using var proxyClient = Loopback.Client(proxy);
            using var statusClient = Loopback.Client(status);
            await Loopback.WaitForStatusAsync(proxyClient, "/a", HttpStatusCode.OK, TimeSpan.FromSeconds(20), () => process.Output);
            using var ready = await statusClient.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        finally
        {
            await postgres.Server.StartAgainAsync();
            Directory.Delete(cacheDir, recursive: true);
        }
    }
}
