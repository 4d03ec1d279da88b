using System.Net;
using Gateway.Proxy.Store.Postgres;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.EndToEnd;

/// <summary>A proxy process that starts while Postgres is down serves its last-known-good cache.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
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
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(cacheDir, "config-cache.json")));
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

    [Fact]
    public async Task Executable_does_not_serve_a_cache_file_that_other_users_can_read()
    {
        var cs = await postgres.Server.CreateDatabaseAsync();
        await Migrator.MigrateAsync(cs, CancellationToken.None);
        var cacheDir = Directory.CreateTempSubdirectory("tollgate-e2e-cache-").FullName;
        var cacheFile = Path.Combine(cacheDir, "config-cache.json");
        try
        {
            await using var upstream = await EchoUpstream.StartAsync("cached");
            await using (var first = await InProcessGateway.StartAsync(cs, cacheDir))
            {
                await Loopback.CreateServiceWithRouteAsync(first.Admin, "a", upstream.Url, "/a");
                await Loopback.WaitForStatusAsync(first.Proxy, "/a", HttpStatusCode.OK, TimeSpan.FromSeconds(10));
            }
            File.SetUnixFileMode(cacheFile, File.GetUnixFileMode(cacheFile) | UnixFileMode.OtherRead);

            // No database answers on this port, so only the cache could supply a configuration.
            var unreachable = $"Host=127.0.0.1;Port={Loopback.FreeAddress().Port};Username=tollgate;Database=tollgate;Timeout=1";
            var proxy = Loopback.FreeAddress();
            var status = Loopback.FreeAddress();
            await using var process = GatewayExecutable.Start(Loopback.ServeEnvironment("postgres", unreachable, proxy, Loopback.FreeAddress(), status, cacheDir), "serve");
            using var statusClient = Loopback.Client(status);
            await Loopback.WaitForStatusAsync(statusClient, "/readyz", HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20), () => process.Output);

            Assert.Contains($"not reading the configuration cache: the file {cacheFile} is readable or writable by other users (mode 0604)", process.Output);
            using var proxyClient = Loopback.Client(proxy);
            using var response = await proxyClient.GetAsync("/a");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        finally
        {
            Directory.Delete(cacheDir, recursive: true);
        }
    }
}
