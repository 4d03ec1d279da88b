using Gateway.Proxy.RateLimits;
using Gateway.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Gateway.Proxy.IntegrationTests.RateLimits;

/// <summary>The counting script and the batching around it, against a real redis-server.</summary>
public sealed class RedisCountersTests : IAsyncLifetime
{
    private static readonly CounterScope Scope = new(Guid.NewGuid(), Guid.Empty);
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        _connection.Dispose();
        await _redis.DisposeAsync();
    }

    private static PendingCount Request(string client, WindowLimits limits, DateTimeOffset now) =>
        new(Scope, CounterIdentity.Of(client), limits, now, countLocallyWithoutRedis: true);

    [Fact]
    public async Task The_script_counts_each_group_as_far_as_every_window_has_room_and_takes_back_the_rest()
    {
        var now = DateTimeOffset.UtcNow;
        var limits = new WindowLimits([new(RatePeriod.Minute, 5), new(RatePeriod.Hour, 100)]);
        var database = _connection.GetDatabase();
        var keys = RedisScript.Keys(Scope, CounterIdentity.Of("a"), limits, now);
        await database.StringSetAsync(keys[0], 2, TimeSpan.FromMinutes(2));
        var batch = Enumerable.Range(0, 4).Select(_ => Request("a", limits, now))
            .Concat(Enumerable.Range(0, 2).Select(_ => Request("b", limits, now))).ToList();
        var groups = RedisScript.Group(batch);
        var (allKeys, arguments) = RedisScript.Batch(groups);

        var reply = (RedisResult[])(await database.ScriptEvaluateAsync(RedisScript.Text, allKeys, arguments))!;

        // a: 2 of the minute's 5 were taken, so 3 of its 4 fit; b: both fit.
        Assert.Equal(new long[] { 3, 2, 0, 2, 0, 0 }, reply.Select(v => (long)v).ToArray());
        Assert.Equal(5, (long)await database.StringGetAsync(keys[0]));
        Assert.Equal(3, (long)await database.StringGetAsync(keys[1]));
        Assert.True(await database.KeyTimeToLiveAsync(keys[1]) is { } life && life > TimeSpan.FromMinutes(59), "a new key lives a whole window");
    }

    [Fact]
    public async Task Concurrent_requests_get_the_answers_counting_them_one_by_one_would_give()
    {
        var now = DateTimeOffset.UtcNow;
        var tight = new WindowLimits([new(RatePeriod.Minute, 5), new(RatePeriod.Hour, 7)]);
        var loose = new WindowLimits([new(RatePeriod.Minute, 3)]);
        using var counters = new RedisCounters(ConfigurationOptions.Parse(_redis.ConnectionString), TimeSpan.FromSeconds(5),
            NullLogger.Instance, metrics: null);
        await counters.Ready;
        Assert.True(counters.IsAvailable);

        // Not awaited one by one: the first goes out alone, the others wait for it and go together, in groups.
        var counts = new List<ValueTask<CountResult>>();
        for (var i = 0; i < 8; i++)
        {
            counts.Add(counters.CountAsync(Scope, CounterIdentity.Of("a"), tight, now, true));
            counts.Add(counters.CountAsync(Scope, CounterIdentity.Of("b"), loose, now, true));
        }
        var results = new List<CountResult>();
        foreach (var count in counts) results.Add(await count);

        var a = results.Where((_, i) => i % 2 == 0).ToList();
        var b = results.Where((_, i) => i % 2 == 1).ToList();
        Assert.Equal([.. Enumerable.Repeat(CountVerdict.Allowed, 5), .. Enumerable.Repeat(CountVerdict.Limited, 3)], a.Select(r => r.Verdict));
        Assert.Equal([1L, 2, 3, 4, 5, 5, 5, 5], a.Select(r => r.Counts[0]));
        Assert.Equal([1L, 2, 3, 4, 5, 5, 5, 5], a.Select(r => r.Counts[1]));
        Assert.Equal([.. Enumerable.Repeat(CountVerdict.Allowed, 3), .. Enumerable.Repeat(CountVerdict.Limited, 5)], b.Select(r => r.Verdict));
        Assert.Equal([1L, 2, 3, 3, 3, 3, 3, 3], b.Select(r => r.Counts[0]));
    }
}
