using System.Net;
using Gateway.Proxy.Store.Postgres;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.EndToEnd;

/// <summary>Postgres goes away while the proxy serves: traffic is not affected, and changes flow again after it returns.</summary>
public class DatabaseOutageTests(PostgresClassFixture postgres) : IClassFixture<PostgresClassFixture>
{
    [Fact]
    public async Task Stopping_postgres_mid_traffic_fails_no_request_and_changes_propagate_after_restart()
    {
        var cs = await postgres.Server.CreateDatabaseAsync();
        await Migrator.MigrateAsync(cs, CancellationToken.None);
        await using var upstream = await EchoUpstream.StartAsync("outage");
        await using var gateway = await InProcessGateway.StartAsync(cs);
        await Loopback.CreateServiceWithRouteAsync(gateway.Admin, "a", upstream.Url, "/a");
        await Loopback.WaitForStatusAsync(gateway.Proxy, "/a", HttpStatusCode.OK, TimeSpan.FromSeconds(10));

        using var stop = new CancellationTokenSource();
        var clients = new Task<List<string>>[4];
        for (var i = 0; i < clients.Length; i++) clients[i] = RequestUntilAsync(gateway.Proxy, "/a", stop.Token);
        await Task.Delay(800);
        await postgres.Server.StopAsync();
        // Keep the traffic going well past the moment the database is gone.
        await Task.Delay(1500);
        stop.Cancel();
        var failures = new List<string>();
        var total = 0;
        foreach (var client in clients)
        {
            var results = await client;
            total += results.Count;
            foreach (var result in results) if (result != "200") failures.Add(result);
        }
        Assert.True(total > 100, $"only {total} requests were sent");
        Assert.True(failures.Count == 0, $"{failures.Count} of {total} requests failed: {string.Join("; ", failures.Take(5))}");

        await postgres.Server.StartAgainAsync();
        await Loopback.CreateServiceWithRouteAsync(gateway.Admin, "b", upstream.Url, "/b");
        await Loopback.WaitForStatusAsync(gateway.Proxy, "/b", HttpStatusCode.OK, TimeSpan.FromSeconds(5));
    }

    // Outcomes as text: "200", another status, or the exception message.
    private static async Task<List<string>> RequestUntilAsync(HttpClient proxy, string path, CancellationToken stop)
    {
        var results = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await proxy.GetAsync(path, CancellationToken.None);
                results.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (HttpRequestException e)
            {
                results.Add(e.Message);
            }
        }
        return results;
    }
}
