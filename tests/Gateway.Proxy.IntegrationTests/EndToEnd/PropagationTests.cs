using System.Diagnostics;
using System.Net;
using Gateway.Proxy.Store.Postgres;
using Gateway.TestSupport;
using Xunit.Abstractions;

namespace Gateway.Proxy.IntegrationTests.EndToEnd;

/// <summary>
/// Two proxies on one database: a change made through one's Admin API reaches the other's traffic.
/// Runs alone so that process starts of other tests do not distort the measured delays on a small machine.
/// </summary>
[Collection(nameof(TimingCollection))]
public class PropagationTests(PostgresClassFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresClassFixture>
{
    private const int Rounds = 30;

    [Fact]
    public async Task Route_created_on_proxy_a_answers_on_proxy_b_within_a_second()
    {
        var cs = await postgres.Server.CreateDatabaseAsync();
        await Migrator.MigrateAsync(cs, CancellationToken.None);
        await using var upstream = await EchoUpstream.StartAsync("prop");
        await using var a = await InProcessGateway.StartAsync(cs);
        await using var b = await InProcessGateway.StartAsync(cs);
        await Loopback.WaitForStatusAsync(b.Status, "/readyz", HttpStatusCode.OK, TimeSpan.FromSeconds(10));
        // One unmeasured round warms up both processes' code paths (JIT, connection pools).
        await Loopback.CreateServiceWithRouteAsync(a.Admin, "warmup", upstream.Url, "/warmup");
        await Loopback.WaitForStatusAsync(b.Proxy, "/warmup", HttpStatusCode.OK, TimeSpan.FromSeconds(10));

        var delays = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            var name = "svc" + round;
            var path = "/p" + round;
            using var service = await a.Admin.PostAsync("/services", Json($$"""{"name":"{{name}}","url":"{{upstream.Url}}"}"""));
            Assert.Equal(HttpStatusCode.Created, service.StatusCode);
            using var route = await a.Admin.PostAsync($"/services/{name}/routes", Json($$"""{"paths":["{{path}}"]}"""));
            Assert.Equal(HttpStatusCode.Created, route.StatusCode);
            var created = Stopwatch.StartNew();
            delays.Add(await MillisecondsUntilOkAsync(b.Proxy, path, created));
        }

        var inOrder = string.Join(", ", delays.Select(d => d.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)));
        delays.Sort();
        var median = delays[delays.Count / 2];
        var p99 = delays[(int)Math.Ceiling(delays.Count * 0.99) - 1];
        var report = $"propagation A admin 201 -> B proxy 200 over {Rounds} routes: median {median:F1} ms, p99 {p99:F1} ms, max {delays[^1]:F1} ms (target 200 ms); in order: {inOrder}";
        output.WriteLine(report);
        Console.WriteLine(report);
        Assert.True(p99 < 1000, report);
    }

    private static async Task<double> MillisecondsUntilOkAsync(HttpClient proxy, string path, Stopwatch since)
    {
        while (since.Elapsed < TimeSpan.FromSeconds(10))
        {
            using var response = await proxy.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK) return since.Elapsed.TotalMilliseconds;
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            await Task.Delay(1);
        }
        Assert.Fail($"{path} never answered 200 on the second proxy");
        return 0;
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}

[CollectionDefinition(nameof(TimingCollection), DisableParallelization = true)]
public sealed class TimingCollection;
