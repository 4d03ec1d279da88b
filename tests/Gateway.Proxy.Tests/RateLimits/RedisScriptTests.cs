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
    public void A_batch_lists_every_requests_keys_and_windows_in_order()
    {
        var scope = new CounterScope(Route, Guid.Empty);
        var one = new WindowLimits([new(RatePeriod.Second, 4), new(RatePeriod.Hour, 1200)]);
        var two = new WindowLimits([new(RatePeriod.Day, 9)]);
        var requests = new List<PendingCount>
        {
            new(scope, CounterIdentity.Of("a"), one, Now, true),
            new(scope, CounterIdentity.Of("b"), two, Now, true),
        };

        var (keys, arguments) = RedisScript.Batch(requests);

        Assert.Equal(3, keys.Length);
        Assert.EndsWith(":b:1715904000000:day", (string)keys[2]!);
        Assert.Equal(new long[] { 2, 2, 4, 1200, 2, 3601, 1, 9, 86_401 }, arguments.Select(a => (long)a).ToArray());
    }

    [Fact]
    public void Answers_are_read_request_by_request()
    {
        RedisResult[] reply =
        [
            RedisResult.Create((RedisValue)1), RedisResult.Create((RedisValue)3), RedisResult.Create((RedisValue)40),
            RedisResult.Create((RedisValue)0), RedisResult.Create((RedisValue)9),
        ];
        var offset = 0;

        var first = RedisScript.Read(reply, ref offset, 2);
        var second = RedisScript.Read(reply, ref offset, 1);

        Assert.Equal(CountVerdict.Allowed, first.Verdict);
        Assert.Equal(3, first.Counts[0]);
        Assert.Equal(40, first.Counts[1]);
        Assert.Equal(CountVerdict.Limited, second.Verdict);
        Assert.Equal(9, second.Counts[0]);
        Assert.Equal(5, offset);
    }
}
