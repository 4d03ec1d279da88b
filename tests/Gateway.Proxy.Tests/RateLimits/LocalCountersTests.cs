using Gateway.Proxy.RateLimits;

namespace Gateway.Proxy.Tests.RateLimits;

public class LocalCountersTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2024, 5, 17, 10, 20, 30, 100, TimeSpan.Zero);
    private static readonly CounterScope Scope = new(Guid.NewGuid(), Guid.Empty);

    private readonly LocalCounters _counters = new();

    public void Dispose() => _counters.Dispose();

    [Fact]
    public void A_window_admits_exactly_its_limit_and_reports_the_counts()
    {
        var limits = new WindowLimits([new(RatePeriod.Second, 3), new(RatePeriod.Minute, 100)]);
        var alice = CounterIdentity.Of("alice");

        var results = Enumerable.Range(0, 5).Select(_ => _counters.Count(Scope, alice, limits, Now)).ToArray();

        Assert.Equal(new[] { CountVerdict.Allowed, CountVerdict.Allowed, CountVerdict.Allowed, CountVerdict.Limited, CountVerdict.Limited },
            results.Select(r => r.Verdict).ToArray());
        Assert.Equal(new[] { 1L, 2L, 3L, 3L, 3L }, results.Select(r => r.Counts[0]).ToArray());
        // Refused requests take nothing from the longer window.
        Assert.Equal(new[] { 1L, 2L, 3L, 3L, 3L }, results.Select(r => r.Counts[1]).ToArray());
    }

    [Fact]
    public void A_full_longer_window_gives_back_what_the_shorter_ones_took()
    {
        var limits = new WindowLimits([new(RatePeriod.Second, 10), new(RatePeriod.Hour, 2)]);
        var id = CounterIdentity.Of(Guid.NewGuid());

        _counters.Count(Scope, id, limits, Now);
        _counters.Count(Scope, id, limits, Now);
        var refused = _counters.Count(Scope, id, limits, Now);

        Assert.Equal(CountVerdict.Limited, refused.Verdict);
        Assert.Equal(2, refused.Counts[0]);
        Assert.Equal(2, refused.Counts[1]);
    }

    [Fact]
    public void Concurrent_requests_are_admitted_exactly_up_to_the_limit_of_every_window()
    {
        var limits = new WindowLimits([new(RatePeriod.Second, 700), new(RatePeriod.Minute, 900), new(RatePeriod.Day, 500)]);
        var id = CounterIdentity.Of("busy");
        var allowed = 0;

        Parallel.For(0, 5000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            if (_counters.Count(Scope, id, limits, Now).Verdict == CountVerdict.Allowed) Interlocked.Increment(ref allowed);
        });

        Assert.Equal(500, allowed);
    }

    [Fact]
    public void A_new_window_starts_from_zero()
    {
        var limits = new WindowLimits([new(RatePeriod.Second, 1)]);
        var id = CounterIdentity.Of("alice");

        Assert.Equal(CountVerdict.Allowed, _counters.Count(Scope, id, limits, Now).Verdict);
        Assert.Equal(CountVerdict.Limited, _counters.Count(Scope, id, limits, Now.AddMilliseconds(899)).Verdict);
        Assert.Equal(CountVerdict.Allowed, _counters.Count(Scope, id, limits, Now.AddMilliseconds(900)).Verdict);
    }

    [Fact]
    public void Identities_and_scopes_are_counted_apart()
    {
        var limits = new WindowLimits([new(RatePeriod.Minute, 1)]);
        var other = new CounterScope(Scope.Route, Guid.NewGuid());

        Assert.Equal(CountVerdict.Allowed, _counters.Count(Scope, CounterIdentity.Of("a"), limits, Now).Verdict);
        Assert.Equal(CountVerdict.Allowed, _counters.Count(Scope, CounterIdentity.Of("b"), limits, Now).Verdict);
        Assert.Equal(CountVerdict.Allowed, _counters.Count(other, CounterIdentity.Of("a"), limits, Now).Verdict);
        Assert.Equal(CountVerdict.Limited, _counters.Count(Scope, CounterIdentity.Of("a"), limits, Now).Verdict);
    }

    [Fact]
    public void Sweeping_removes_identities_whose_windows_have_all_ended_and_keeps_the_others()
    {
        var second = new WindowLimits([new(RatePeriod.Second, 5)]);
        var day = new WindowLimits([new(RatePeriod.Day, 5)]);
        _counters.Count(Scope, CounterIdentity.Of("short"), second, Now);
        _counters.Count(Scope, CounterIdentity.Of("long"), day, Now);

        _counters.Sweep(Now.AddSeconds(2));

        Assert.Equal(1, _counters.EntryCount);
        // The day's count survived the sweep.
        Assert.Equal(2, _counters.Count(Scope, CounterIdentity.Of("long"), day, Now.AddSeconds(2)).Counts[0]);
    }
}
