using System.Net;
using Gateway.Proxy.IntegrationTests.EndToEnd;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.Plugins.RateLimiting;

/// <summary>Two real gateway processes configured by one declarative file, sharing limits through GATEWAY_REDIS.</summary>
public sealed class RateLimitingExecutableTests
{
    [Fact]
    public async Task Two_processes_share_the_limit_through_gateway_redis_and_report_it_in_metrics()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var upstream = await EchoUpstream.StartAsync("limited");
        var file = Path.GetTempFileName();
        var cacheDirs = new List<string>();
        var processes = new List<GatewayExecutable>();
        try
        {
            await File.WriteAllTextAsync(file, $"""
                _format_version: "3.0"
                services:
                - name: pytbak
                  url: {upstream.Url}
                  routes:
                  - name: api
                    paths: [/api/]
                  plugins:
                  - name: key-auth
                  - name: rate-limiting
                    config: {"{"} hour: 5, policy: redis {"}"}
                consumers:
                - username: slow_user
                  keyauth_credentials:
                  - key: 332d05445a560ee65a76aeaa372d8904
                """);
            var proxies = new List<HttpClient>();
            var statuses = new List<HttpClient>();
            for (var i = 0; i < 2; i++)
            {
                var cacheDir = Directory.CreateTempSubdirectory("tollgate-e2e-cache-").FullName;
                cacheDirs.Add(cacheDir);
                var proxy = Loopback.FreeAddress();
                var status = Loopback.FreeAddress();
                var env = Loopback.ServeEnvironment("off", null, proxy, Loopback.FreeAddress(), status, cacheDir);
                env["GATEWAY_DECLARATIVE_CONFIG"] = file;
                // A generous timeout: on a loaded machine a late answer would be counted locally, which is not what this checks.
                env["GATEWAY_REDIS"] = redis.ConnectionString + ",syncTimeout=5000";
                var process = GatewayExecutable.Start(env, "serve");
                processes.Add(process);
                proxies.Add(Loopback.Client(proxy));
                statuses.Add(Loopback.Client(status));
                await Loopback.WaitForStatusAsync(statuses[i], "/readyz", HttpStatusCode.OK, TimeSpan.FromSeconds(30), () => process.Output);
            }
            var available = $"tollgate_ratelimit_redis_available{{endpoint=\"{redis.ConnectionString}\"}} 1";
            foreach (var status in statuses) await UntilMetricsShowAsync(status, available);

            var codes = new List<int>();
            for (var i = 0; i < 8; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/get/context");
                request.Headers.Add("apikey", "332d05445a560ee65a76aeaa372d8904");
                using var response = await proxies[i % 2].SendAsync(request);
                codes.Add((int)response.StatusCode);
            }

            Assert.Equal(new[] { 200, 200, 200, 200, 200, 429, 429, 429 }, codes.ToArray());
            foreach (var status in statuses) Assert.Contains("tollgate_ratelimit_local_fallbacks_total 0", await status.GetStringAsync("/metrics"));
        }
        finally
        {
            foreach (var process in processes) await process.DisposeAsync();
            File.Delete(file);
            foreach (var dir in cacheDirs) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The connection to Redis is made in the background, so it may complete a moment after readiness.</summary>
    private static async Task UntilMetricsShowAsync(HttpClient status, string line)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string metrics;
        while (!(metrics = await status.GetStringAsync("/metrics")).Contains(line))
        {
            Assert.True(DateTime.UtcNow < deadline, $"/metrics never showed '{line}':\n{metrics}");
            await Task.Delay(50);
        }
    }
}
