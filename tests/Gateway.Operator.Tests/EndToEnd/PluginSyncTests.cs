using System.Net;
using System.Text.Json.Nodes;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>
/// Plugin and consumer resources reach every proxy: authentication and per-consumer rate-limit tiers declared only as
/// Kubernetes objects, each saying whether it is programmed.
/// </summary>
public class PluginSyncTests
{
    const string Host = "api.example.com";
    const string SlowKey = "332d05445a560ee65a76aeaa372d8904";
    const string FastKey = "5f1c0e8a9b7d4c3e2a1f0b9c8d7e6f5a";
    const string AdminKey = "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5";

    [Fact]
    public async Task The_tiers_sample_asks_for_a_key_and_limits_each_consumer_to_its_tier()
    {
        await using var harness = await SyncHarness.StartAsync(className: "tiers");
        await harness.ServiceAsync("pytbak-svc", 5000);
        harness.Server.Patch("v1", "Service", "default", "pytbak-svc", new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["tollgate.dev/plugins"] = "rl-default" } },
        });

        await harness.ApplyAsync(SyncHarness.SampleResources("tollgate_v1alpha1_apigateway_tiers.yaml"));

        var refused = await harness.Fleet.UntilEveryProxyAsync("/api/", HttpStatusCode.Unauthorized, host: Host);
        Assert.Equal("No API key found in request", (string?)JsonNode.Parse(refused)!["message"]);
        foreach (var (kind, name) in new[] { ("TollgatePlugin", "key-auth"), ("TollgatePlugin", "rl-slow-api"), ("TollgateConsumer", "slow-user"), ("TollgateConsumer", "admin") })
        {
            var programmed = await harness.UntilProgrammedAsync(kind, name);
            Assert.Equal("Programmed", (string?)programmed["reason"]);
            Assert.Equal((long?)harness.Server.Get(OperatorHarness.ApiVersion, kind, "default", name)["metadata"]!["generation"], (long?)programmed["observedGeneration"]);
        }

        foreach (var proxy in harness.Fleet.Proxies)
        {
            Assert.Equal(("4", true), await BurstAsync(proxy, "/api/", SlowKey));
            Assert.Equal(("2", true), await BurstAsync(proxy, "/api/get/", SlowKey));
            Assert.Equal(("8", true), await BurstAsync(proxy, "/api/", FastKey));
            Assert.Equal(("9", true), await BurstAsync(proxy, "/api/", AdminKey)); // the Service's default
        }
        var listed = await harness.Kubectl.SucceedAsync("get", "tgc");
        Assert.Matches(@"slow-user\s+slow_user\s+True", listed);
    }

    // Calls until one is refused (or 30 calls): the second's limit the answers announced, and whether one got 429.
    static async Task<(string? Limit, bool Limited)> BurstAsync(HttpClient proxy, string path, string key)
    {
        await Wait.UntilAsync(async () =>
        {
            using var probe = Request(path, key);
            using var answer = await proxy.SendAsync(probe);
            return answer.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests;
        }, $"{path} takes the key {key[..6]}…");
        string? limit = null;
        for (var i = 0; i < 30; i++)
        {
            using var request = Request(path, key);
            using var response = await proxy.SendAsync(request);
            if (response.Headers.TryGetValues("X-RateLimit-Limit-Second", out var values))
                limit = values.First();
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                return (limit, true);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        return (limit, false);
    }

    static HttpRequestMessage Request(string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = Host;
        request.Headers.Add("apikey", key);
        return request;
    }
}
