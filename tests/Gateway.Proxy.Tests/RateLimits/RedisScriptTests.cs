using Gateway.Proxy.RateLimits;
using StackExchange.Redis;

namespace Gateway.Proxy.Tests.RateLimits;

public class RedisScriptTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 17, 10, 20, 30, 100, TimeSpan.Zero);
    private static readonly Guid Route = Guid.Parse("11111111-2222-3333-4444-555555555555");

    [Fact]
    public void Keys_name_the_scope_identity_window_start_and_period_as_kong_does()
    {
        var scope = new CounterScope(Route, Guid.Empty);
        var limits = new WindowLimits([new(RatePeriod.Second, 4), new(RatePeriod.Hour, 1200)]);

        var keys = RedisScript.Keys(scope, CounterIdentity.Of("203.0.113.7"), limits, Now);

        Assert.Equal(new[]
        {
            "ratelimit:11111111-2222-3333-4444-555555555555:00000000-0000-0000-0000-000000000000:203.0.113.7:1715941230000:second",
            "ratelimit:11111111-2222-3333-4444-555555555555:00000000-0000-0000-0000-000000000000:203.0.113.7:1715940000000:hour",
        }, keys.Select(k => (string)k!).ToArray());
    }

    [Fact]
    public void Long_identities_are_hashed_into_short_keys()
    {
        var scope = new CounterScope(Route, Guid.Empty);
        var limits = new WindowLimits([new(RatePeriod.Minute, 1)]);

        var key = (string)RedisScript.Keys(scope, CounterIdentity.Of(new string('x', 5000)), limits, Now)[0]!;
        var other = (string)RedisScript.Keys(scope, CounterIdentity.Of(new string('x', 4999) + "y"), limits, Now)[0]!;

        Assert.True(key.Length < 150, key);
        Assert.Contains(":sha256:", key);
        Assert.NotEqual(key, other);
    }

    [Fact]
    public void Requests_counting_in_the_same_counters_under_the_same_limits_form_one_group()
    {
        var scope = new CounterScope(Route, Guid.Empty);
        var limits = new WindowLimits([new(RatePeriod.Second, 4)]);
        var sameNumbers = new WindowLimits([new(RatePeriod.Second, 4)]);
        PendingCount a1 = new(scope, CounterIdentity.Of("a"), limits, Now, true), b = new(scope, CounterIdentity.Of("b"), limits, Now, true),
            a2 = new(scope, CounterIdentity.Of("a"), limits, Now, true), otherConfig = new(scope, CounterIdentity.Of("a"), sameNumbers, Now, true),
            nextSecond = new(scope, CounterIdentity.Of("a"), limits, Now.AddSeconds(1), true);

        var groups = RedisScript.Group([a1, b, a2, otherConfig, nextSecond]);

        Assert.Equal(4, groups.Count);
        Assert.Equal([a1, a2], groups[0].Members);
        Assert.Equal([b], groups[1].Members);
        Assert.Equal([otherConfig], groups[2].Members);
        Assert.Equal([nextSecond], groups[3].Members);
    }

    [Fact]
    public void A_batch_lists_each_groups_keys_size_and_windows_in_order()
    {
        var scope = new CounterScope(Route, Guid.Empty);
        var one = new WindowLimits([new(RatePeriod.Second, 4), new(RatePeriod.Hour, 1200)]);
        var two = new WindowLimits([new(RatePeriod.Day, 9)]);
        var groups = RedisScript.Group(
        [
            new(scope, CounterIdentity.Of("a"), one, Now, true),
            new(scope, CounterIdentity.Of("b"), two, Now, true),
            new(scope, CounterIdentity.Of("a"), one, Now, true),
        ]);

        var (keys, arguments) = RedisScript.Batch(groups);

        Assert.Equal(3, keys.Length);
        Assert.EndsWith(":a:1715941230000:second", (string)keys[0]!);
        Assert.EndsWith(":b:1715904000000:day", (string)keys[2]!);
        Assert.Equal(new long[] { 2, 2, 2, 4, 1200, 2, 3601, 1, 1, 9, 86_401 }, arguments.Select(a => (long)a).ToArray());
        Assert.Equal(3 + 2, RedisScript.ReplyLength(groups));
    }

    [Fact]
    public void A_groups_answer_gives_its_first_requests_the_counts_after_them_and_the_rest_the_counts_found()
    {
        var scope = new CounterScope(Route, Guid.Empty);
        var limits = new WindowLimits([new(RatePeriod.Second, 4), new(RatePeriod.Hour, 1200)]);
        var group = RedisScript.Group([.. Enumerable.Range(0, 4).Select(_ => new PendingCount(scope, CounterIdentity.Of("a"), limits, Now, true))])[0];
        // Two of the four fit: the second window had 2 of 4, the hour 37.
        RedisResult[] reply = [RedisResult.Create((RedisValue)2), RedisResult.Create((RedisValue)2), RedisResult.Create((RedisValue)37)];
        var results = new CountResult[4];
        var offset = 0;

        RedisScript.Read(reply, ref offset, group, results);

        Assert.Equal(3, offset);
        Assert.Equal([CountVerdict.Allowed, CountVerdict.Allowed, CountVerdict.Limited, CountVerdict.Limited], results.Select(r => r.Verdict));
        Assert.Equal([3L, 4, 4, 4], results.Select(r => r.Counts[0]));
        Assert.Equal([38L, 39, 39, 39], results.Select(r => r.Counts[1]));
    }
}
