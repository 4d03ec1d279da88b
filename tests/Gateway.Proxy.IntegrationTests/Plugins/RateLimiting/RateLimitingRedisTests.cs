using System.Collections.Concurrent;
using System.Net;
using Gateway.Proxy.IntegrationTests.Proxying;
using Gateway.Proxy.RateLimits;
using Gateway.TestSupport;
using Xunit.Abstractions;
using static Gateway.Proxy.IntegrationTests.Plugins.RateLimiting.RateLimitRequests;

namespace Gateway.Proxy.IntegrationTests.Plugins.RateLimiting;

/// <summary>
/// rate-limiting shared through a real Redis by several proxies (each a whole gateway with its own connection and
/// its own local counters), including Redis dying and coming back while they serve.
/// </summary>
public sealed class RateLimitingRedisTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private EchoUpstream _upstream = null!;
    private readonly List<GatewayTestHost> _proxies = [];

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _upstream = await EchoUpstream.StartAsync("echo");
    }

    public async Task DisposeAsync()
    {
        foreach (var proxy in _proxies) await proxy.DisposeAsync();
        await _upstream.DisposeAsync();
        await _redis.DisposeAsync();
    }

    /// <summary>Starts <paramref name="count"/> proxies on the given node Redis, all serving /api with one rate-limiting plugin.</summary>
    private async Task<GatewayTestHost[]> ProxiesAsync(int count, string pluginConfig, string? nodeRedis)
    {
        var config = new GatewayConfig();
        var service = config.Service("echo", $$"""{"url": "{{_upstream.Url}}"}""");
        var route = config.Route(service, """{"paths": ["/api"]}""");
        config.Plugin("rate-limiting", pluginConfig, route: route);
        var data = config.Build();
        for (var i = 0; i < count; i++) _proxies.Add(await GatewayTestHost.StartAsync(data, redis: nodeRedis));
        return _proxies.ToArray();
    }

    private static Task<HttpResponseMessage> GetAsync(GatewayTestHost proxy, string client)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api");
        request.Headers.Add("X-Client", client);
        return proxy.Client.SendAsync(request);
    }

    /// <summary>Sends <paramref name="count"/> requests in turn, each to the next proxy.</summary>
    private static async Task<List<HttpResponseMessage>> RoundRobinAsync(GatewayTestHost[] proxies, int count, string client)
    {
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < count; i++) responses.Add(await GetAsync(proxies[i % proxies.Length], client));
        return responses;
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> (given the attempt number, to pick a fresh client) until Redis answered every
    /// one of its counts: a loaded machine can delay an answer past the timeout, and such a request is rightly
    /// counted locally, which is not what these tests are about.
    /// </summary>
    private async Task<T> WhileRedisAnswersAsync<T>(GatewayTestHost[] proxies, Func<int, Task<T>> attempt)
    {
        for (var number = 1; ; number++)
        {
            var before = proxies.Sum(p => p.Metrics.RateLimitFallbacks);
            var result = await attempt(number);
            if (proxies.Sum(p => p.Metrics.RateLimitFallbacks) == before) return result;
            output.WriteLine($"attempt {number}: Redis did not answer in time for every request; trying again");
            Assert.True(number < 3, "Redis did not answer in time in three attempts");
            await EventuallyAsync(() => proxies.All(p => p.Metrics.RateLimitRedisAvailable(_redis.ConnectionString) == 1), "Redis is used again");
        }
    }

    private const string SharedByHeader = """ "policy": "redis", "limit_by": "header", "header_name": "X-Client" """;

    [Fact]
    public async Task Proxies_share_one_exact_count_through_the_node_redis()
    {
        var proxies = await ProxiesAsync(3, $$"""{"minute": 5, "hour": 5, {{SharedByHeader}} }""", _redis.ConnectionString);

        var responses = await WhileRedisAnswersAsync(proxies, first =>
            InOneWindowAsync(RatePeriod.Minute, attempt => RoundRobinAsync(proxies, 9, $"client-{first}-{attempt}")));

        Assert.Equal(new[] { 200, 200, 200, 200, 200, 429, 429, 429, 429 }, responses.Select(r => (int)r.StatusCode).ToArray());
        Assert.Equal(new string?[] { "4", "3", "2", "1", "0", "0" },
            responses.Take(6).Select(r => Header(r, "X-RateLimit-Remaining-Minute")).ToArray());
        Assert.All(proxies, p => Assert.Equal(1, p.Metrics.RateLimitRedisAvailable(_redis.ConnectionString)));
    }

    [Fact]
    public async Task The_cluster_policy_shares_through_the_gateways_own_redis()
    {
        var proxies = await ProxiesAsync(2, """{"hour": 3, "policy": "cluster", "limit_by": "header", "header_name": "X-Client"}""",
            _redis.ConnectionString);

        var responses = await WhileRedisAnswersAsync(proxies, attempt => RoundRobinAsync(proxies, 6, $"cluster-client-{attempt}"));

        Assert.Equal(3, Allowed(responses));
    }

    [Fact]
    public async Task A_plugin_may_name_a_redis_of_its_own_when_the_node_has_none()
    {
        var proxies = await ProxiesAsync(2,
            $$$"""{"hour": 3, "policy": "redis", "redis": {"host": "127.0.0.1", "port": {{{_redis.Port}}}, "timeout": 500} }""",
            nodeRedis: null);

        await EventuallyAsync(() => proxies.All(p => p.Metrics.RateLimitRedisAvailable(_redis.ConnectionString) == 1),
            "the plugin's Redis is connected");
        var responses = await WhileRedisAnswersAsync(proxies, attempt => RoundRobinAsync(proxies, 8, $"own-redis-{attempt}"));

        Assert.Equal(3, Allowed(responses));
    }

    /// <summary>
    /// Adds the ACL user "limiter", which may touch rate-limit keys only, and takes every key from the default user,
    /// so that only a connection authenticated as limiter can count.
    /// </summary>
    private async Task AddLimiterUserAsync()
    {
        Assert.Equal("+OK", await _redis.CommandAsync("ACL SETUSER limiter on >limiter-secret ~ratelimit:* &* +@all"));
        Assert.Equal("+OK", await _redis.CommandAsync("ACL SETUSER default resetkeys"));
    }

    /// <summary>
    /// Waits for <paramref name="proxies"/> (hour limit 3) to use Redis, then checks that they count together: only
    /// a connection authenticated as limiter can.
    /// </summary>
    private async Task CountTogetherAsLimiterAsync(GatewayTestHost[] proxies, string client)
    {
        await EventuallyAsync(() => proxies.All(p => p.Metrics.RateLimitRedisAvailable(_redis.ConnectionString) == 1),
            "Redis is connected as limiter");
        var responses = await WhileRedisAnswersAsync(proxies, attempt => RoundRobinAsync(proxies, 8, $"{client}-{attempt}"));

        Assert.Equal(3, Allowed(responses));
    }

    /// <summary>A plugin that names its own Redis as the ACL user "limiter" with <paramref name="password"/>.</summary>
    private string LimiterConfig(string password) =>
        $$$"""{"hour": 3, "policy": "redis", "redis": {"host": "127.0.0.1", "port": {{{_redis.Port}}}, "username": "limiter", "password": "{{{password}}}", "timeout": 500} }""";

    [Fact]
    public async Task A_plugin_redis_is_used_as_the_acl_user_it_names()
    {
        await AddLimiterUserAsync();
        var proxies = await ProxiesAsync(2, LimiterConfig("limiter-secret"), nodeRedis: null);

        await CountTogetherAsLimiterAsync(proxies, "acl-user");
    }

    [Fact]
    public async Task The_older_redis_username_spelling_names_the_acl_user_too()
    {
        await AddLimiterUserAsync();
        var proxies = await ProxiesAsync(2,
            $$$"""{"hour": 3, "policy": "redis", "redis_host": "127.0.0.1", "redis_port": {{{_redis.Port}}}, "redis_username": "limiter", "redis_password": "limiter-secret", "redis_timeout": 500}""",
            nodeRedis: null);

        await CountTogetherAsLimiterAsync(proxies, "acl-older");
    }

    [Fact]
    public async Task The_node_redis_connection_string_may_name_an_acl_user()
    {
        await AddLimiterUserAsync();
        var proxies = await ProxiesAsync(2, """{"hour": 3, "policy": "redis"}""",
            $"{_redis.ConnectionString},user=limiter,password=limiter-secret");

        await CountTogetherAsLimiterAsync(proxies, "acl-node");
    }

    [Fact]
    public async Task A_wrong_password_for_the_acl_user_leaves_each_proxy_counting_on_its_own_and_fails_no_request()
    {
        await AddLimiterUserAsync();
        var proxies = await ProxiesAsync(2, LimiterConfig("not-the-secret"), nodeRedis: null);

        var responses = await RoundRobinAsync(proxies, 8, "acl-wrong-password");

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.Equal(6, Allowed(responses));
        Assert.All(proxies, p => Assert.NotEqual(1, p.Metrics.RateLimitRedisAvailable(_redis.ConnectionString)));
    }

    [Fact]
    public async Task Three_proxies_under_concurrent_load_never_let_more_than_any_limit_through()
    {
        var limits = new Dictionary<RatePeriod, long> { [RatePeriod.Second] = 40, [RatePeriod.Minute] = 150, [RatePeriod.Hour] = 150 };
        var proxies = await ProxiesAsync(3, $$"""{"second": 40, "minute": 150, "hour": 150, {{SharedByHeader}} }""", _redis.ConnectionString);
        await WellInsideTheHourAsync(TimeSpan.FromMinutes(1));

        var (allowed, other, total) = await WhileRedisAnswersAsync(proxies, attempt => LoadAsync(proxies, $"load-{attempt}-{Guid.NewGuid()}"));

        output.WriteLine($"{total} requests through 3 proxies, {allowed.Count} allowed (hour limit 150)");
        foreach (var (period, limit) in limits)
        {
            // A request is attributed to a window when it was sent and answered within it; the rest are unknown.
            var byWindow = allowed.Where(a => RatePeriods.Start(period, a.Sent) == RatePeriods.Start(period, a.Received))
                .GroupBy(a => RatePeriods.Start(period, a.Sent)).OrderBy(g => g.Key).ToList();
            output.WriteLine($"{period} (limit {limit}): " +
                string.Join(", ", byWindow.Select(g => $"{g.Key:HH:mm:ss}={g.Count()}")) +
                $"; {allowed.Count - byWindow.Sum(g => g.Count())} across a boundary");
            Assert.All(byWindow, g => Assert.True(g.Count() <= limit, $"{g.Count()} allowed in the {period} window of {g.Key:O}"));
        }
        Assert.Empty(other);
        Assert.Equal(150, allowed.Count);
    }

    /// <summary>Eight workers per proxy sending requests of one client for six seconds.</summary>
    private static async Task<(List<(DateTimeOffset Sent, DateTimeOffset Received)> Allowed, List<string> Other, int Total)> LoadAsync(
        GatewayTestHost[] proxies, string client)
    {
        var allowed = new ConcurrentBag<(DateTimeOffset Sent, DateTimeOffset Received)>();
        var other = new ConcurrentBag<string>();
        var total = 0;
        var until = DateTimeOffset.UtcNow.AddSeconds(6);
        var workers = proxies.SelectMany(proxy => Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (DateTimeOffset.UtcNow < until)
            {
                var sent = DateTimeOffset.UtcNow;
                using var response = await GetAsync(proxy, client);
                var received = DateTimeOffset.UtcNow;
                Interlocked.Increment(ref total);
                if (response.StatusCode == HttpStatusCode.OK) allowed.Add((sent, received));
                else if (response.StatusCode != HttpStatusCode.TooManyRequests) other.Add(((int)response.StatusCode).ToString());
            }
        })));
        await Task.WhenAll(workers);
        return (allowed.ToList(), other.ToList(), total);
    }

    [Fact]
    public async Task When_redis_dies_no_request_fails_each_proxy_limits_on_its_own_and_redis_is_used_again_once_back()
    {
        var proxies = await ProxiesAsync(3, $$"""{"hour": 10, {{SharedByHeader}} }""", _redis.ConnectionString);
        await WellInsideTheHourAsync(TimeSpan.FromMinutes(2));
        var endpoint = _redis.ConnectionString;

        var before = await RoundRobinAsync(proxies, 30, "before-" + Guid.NewGuid());
        Assert.Equal(10, Allowed(before));

        // Background load on every proxy for the whole outage: nothing may fail.
        var failures = new ConcurrentBag<string>();
        var served = 0;
        using var stop = new CancellationTokenSource();
        var load = proxies.SelectMany((proxy, p) => Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await GetAsync(proxy, $"load-{p}-{w}");
                    Interlocked.Increment(ref served);
                    if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.TooManyRequests))
                        failures.Add($"proxy {p}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                catch (Exception e)
                {
                    failures.Add($"proxy {p}: {e.GetType().Name} {e.Message}");
                }
            }
        }))).ToArray();

        await Task.Delay(500);
        await _redis.StopAsync();
        await EventuallyAsync(() => proxies.All(p => p.Metrics.RateLimitRedisAvailable(endpoint) == 0), "every proxy notices Redis is gone");

        // Each proxy now counts on its own: the limit still holds, per proxy.
        var sameClient = "during-shared-" + Guid.NewGuid();
        var perProxy = new List<int>();
        foreach (var proxy in proxies) perProxy.Add(Allowed(await RoundRobinAsync([proxy], 15, sameClient)));
        Assert.Equal(new[] { 10, 10, 10 }, perProxy.ToArray());
        Assert.All(proxies, p => Assert.True(p.Metrics.RateLimitFallbacks > 0));
        Assert.Contains($"tollgate_ratelimit_redis_available{{endpoint=\"{endpoint}\"}} 0", proxies[0].Metrics.Render());

        await _redis.StartAgainAsync();
        await EventuallyAsync(() => proxies.All(p => p.Metrics.RateLimitRedisAvailable(endpoint) == 1), "every proxy uses Redis again");
        var fallbacksAfterRecovery = proxies.Select(p => p.Metrics.RateLimitFallbacks).ToArray();

        var after = await RoundRobinAsync(proxies, 30, "after-" + Guid.NewGuid());
        stop.Cancel();
        await Task.WhenAll(load);

        output.WriteLine($"before the outage: {Allowed(before)} of 30 allowed across 3 proxies (limit 10/hour)");
        output.WriteLine($"during: one client sending 15 to each proxy got {string.Join(" + ", perProxy)} allowed");
        output.WriteLine($"after recovery: {Allowed(after)} of 30 allowed across 3 proxies");
        output.WriteLine($"{served} background requests served, {failures.Count} failed; fallbacks: {string.Join(", ", fallbacksAfterRecovery)}");
        Assert.Empty(failures);
        Assert.Equal(10, Allowed(after));
        Assert.Equal(fallbacksAfterRecovery, proxies.Select(p => p.Metrics.RateLimitFallbacks).ToArray());
        Assert.Contains($"tollgate_ratelimit_redis_available{{endpoint=\"{endpoint}\"}} 1", proxies[0].Metrics.Render());
    }

    [Fact]
    public async Task Without_fault_tolerance_a_missing_redis_answers_500_instead_of_counting_locally()
    {
        var proxies = await ProxiesAsync(1, $$"""{"hour": 10, "fault_tolerant": false, {{SharedByHeader}} }""", _redis.ConnectionString);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(proxies[0], "strict")).StatusCode);

        await _redis.StopAsync();
        var response = await GetAsync(proxies[0], "strict");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("An unexpected error occurred", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_redis_that_is_down_when_the_proxy_starts_is_used_once_it_answers()
    {
        await _redis.StopAsync();
        var proxies = await ProxiesAsync(2, $$"""{"hour": 3, {{SharedByHeader}} }""", _redis.ConnectionString);
        Assert.Equal(0, proxies[0].Metrics.RateLimitRedisAvailable(_redis.ConnectionString));
        Assert.Equal(3, Allowed(await RoundRobinAsync([proxies[0]], 5, "early")));

        await _redis.StartAgainAsync();
        await EventuallyAsync(() => proxies.All(p => p.Metrics.RateLimitRedisAvailable(_redis.ConnectionString) == 1), "Redis is used");

        Assert.Equal(3, Allowed(await RoundRobinAsync(proxies, 8, "late")));
    }

    [Fact]
    public async Task A_stalled_redis_holds_requests_no_longer_than_its_timeout()
    {
        var proxies = await ProxiesAsync(1, $$"""{"hour": 1000, {{SharedByHeader}} }""", _redis.ConnectionString);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(proxies[0], "before")).StatusCode);

        // A script that keeps Redis busy for 4 seconds: every other command waits behind it.
        using var other = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var stall = other.GetDatabase().ScriptEvaluateAsync("""
            local start = redis.call('TIME')
            repeat local now = redis.call('TIME') until (now[1] - start[1]) * 1000000 + (now[2] - start[2]) > 4000000
            return 1
            """);
        await Task.Delay(200);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => GetAsync(proxies[0], "during-stall")));
        var waited = clock.Elapsed;
        await stall;

        output.WriteLine($"10 requests during a 4 s Redis stall answered within {waited.TotalMilliseconds:F0} ms");
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.True(waited < TimeSpan.FromSeconds(3), $"requests waited {waited} for a stalled Redis (timeout 1 s)");
        Assert.True(proxies[0].Metrics.RateLimitFallbacks >= 10);
        await EventuallyAsync(() => proxies[0].Metrics.RateLimitRedisAvailable(_redis.ConnectionString) == 1, "Redis is used again");
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }
}
