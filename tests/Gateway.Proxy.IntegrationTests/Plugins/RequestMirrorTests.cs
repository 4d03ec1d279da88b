using System.Net;
using System.Text;
using Gateway.Proxy.IntegrationTests.Proxying;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.Plugins;

/// <summary>request-mirror through the real proxy: the route's upstream answers, a copy goes to the mirror.</summary>
public sealed class RequestMirrorTests : PluginTestBase
{
    private void Mirror(string pluginConfig)
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        config.Plugin("request-mirror", pluginConfig, route: route);
        Gateway.Apply(config.Build());
    }

    private static async Task<ReceivedRequest> CopyAsync(EchoUpstream mirror, Func<ReceivedRequest, bool> which)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (mirror.Received.FirstOrDefault(which) is { } copy) return copy;
            Assert.True(DateTime.UtcNow < deadline, "the mirror received the copy");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task The_client_gets_the_upstreams_answer_and_the_mirror_a_copy_with_path_query_headers_and_body()
    {
        await using var mirror = await EchoUpstream.StartAsync("mirror");
        Mirror($$"""{"mirrors": [{"targets": ["127.0.0.1:{{mirror.Port}}"]}]}""");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders?page=2") { Content = new StringContent("order 7", Encoding.UTF8, "text/plain") };
        request.Headers.Add("x-trace", "abc");
        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"upstream\":\"echo\"", await response.Content.ReadAsStringAsync());
        var original = Assert.Single(Upstream.Received);
        Assert.Equal("order 7", original.Body);
        var copy = await CopyAsync(mirror, r => r.Method == "POST");
        // The path the upstream gets (the route strips its /api prefix), with the query.
        Assert.Equal("/orders?page=2", copy.Target);
        Assert.Equal(original.Target, copy.Target);
        Assert.Equal("order 7", copy.Body);
        Assert.Equal("abc", copy.Headers["x-trace"]);
        Assert.StartsWith("text/plain", copy.Headers["content-type"]);
    }

    [Fact]
    public async Task A_mirror_that_is_down_or_slow_changes_nothing_for_the_client()
    {
        await using var slow = await EchoUpstream.StartAsync("slow");
        Mirror($$"""{"mirrors": [{"targets": ["127.0.0.1:{{FreePort.Next()}}"]}]}""");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api")).StatusCode);

        Mirror($$"""{"mirrors": [{"targets": ["127.0.0.1:{{slow.Port}}"]}]}""");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var answered = await GetAsync("/api", ("x-echo-delay-ms", "3000"));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        // The route's upstream delays too (the header reaches both); the copy is not waited for on top of it.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5.5), $"answered after {clock.Elapsed}");
    }

    [Fact]
    public async Task A_percentage_of_zero_copies_nothing_and_of_fifty_about_half()
    {
        await using var mirror = await EchoUpstream.StartAsync("mirror");
        Mirror($$"""{"mirrors": [{"targets": ["127.0.0.1:{{mirror.Port}}"], "percent": 0}]}""");
        for (var i = 0; i < 20; i++) Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api")).StatusCode);

        Mirror($$"""{"mirrors": [{"targets": ["127.0.0.1:{{mirror.Port}}"], "percent": 50}]}""");
        for (var i = 0; i < 200; i++) Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api", ("x-round", "two"))).StatusCode);
        await Task.Delay(500);

        // 100 expected; 60 and 140 are more than five standard deviations (7) away. None of the first 20 was copied.
        Assert.InRange(mirror.RequestCount, 60, 140);
        Assert.All(mirror.Received, r => Assert.Equal("two", r.Headers["x-round"]));
    }

    [Fact]
    public async Task Each_mirror_gets_its_own_copy()
    {
        await using var first = await EchoUpstream.StartAsync("first");
        await using var second = await EchoUpstream.StartAsync("second");
        Mirror($$"""{"mirrors": [{"targets": ["127.0.0.1:{{first.Port}}"]}, {"targets": ["127.0.0.1:{{second.Port}}"]}]}""");

        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/items/1") { Content = new StringContent("item", Encoding.UTF8, "text/plain") };
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(request)).StatusCode);

        Assert.Equal("item", (await CopyAsync(first, r => r.Method == "PUT")).Body);
        Assert.Equal("item", (await CopyAsync(second, r => r.Method == "PUT")).Body);
    }
}
