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

    [Fact]
    public void The_table_never_holds_more_identities_than_its_capacity()
    {
        using var counters = new LocalCounters(capacity: 50);
        var limits = new WindowLimits([new(RatePeriod.Day, 10)]);

        for (var i = 0; i < 1000; i++)
        {
            counters.Count(Scope, CounterIdentity.Of("made-up-" + i), limits, Now.AddMilliseconds(i));
            Assert.InRange(counters.EntryCount, 1, 50);
        }
    }

    [Fact]
    public void A_full_table_forgets_identities_whose_windows_ended_before_any_other()
    {
        using var counters = new LocalCounters(capacity: 4);
        var second = new WindowLimits([new(RatePeriod.Second, 5)]);
        var day = new WindowLimits([new(RatePeriod.Day, 5)]);
        // The day identities are counted first, so they are the least recently used when the table fills.
        foreach (var (who, limits, ms) in new[] { ("day-1", day, 0), ("day-2", day, 0), ("second-1", second, 10), ("second-2", second, 10) })
            CountAt(counters, who, limits, ms);

        CountAt(counters, "newcomer", day, 2000);

        Assert.Equal(3, counters.EntryCount);
        Assert.Equal(2, CountAt(counters, "day-1", day, 2000));
        Assert.Equal(2, CountAt(counters, "day-2", day, 2000));
    }

    [Fact]
    public void Under_a_flood_of_new_identities_the_least_recently_counted_are_forgotten_first()
    {
        using var counters = new LocalCounters(capacity: 3);
        var day = new WindowLimits([new(RatePeriod.Day, 100)]);
        foreach (var (who, ms) in new[] { ("a", 1), ("b", 2), ("c", 3), ("a", 4) }) CountAt(counters, who, day, ms);

        // Full: "b" was counted least recently, so the newcomer takes its place.
        CountAt(counters, "d", day, 5);

        Assert.Equal(3, counters.EntryCount);
        Assert.Equal(3, CountAt(counters, "a", day, 6));
        Assert.Equal(2, CountAt(counters, "c", day, 7));
        Assert.Equal(2, CountAt(counters, "d", day, 8));
        // "b" starts again from zero (and pushes out "a", now the least recently counted).
        Assert.Equal(1, CountAt(counters, "b", day, 9));
    }

    /// <summary>Counts a request of <paramref name="who"/> <paramref name="ms"/> after <see cref="Now"/>; the first window's count after it.</summary>
    private static long CountAt(LocalCounters counters, string who, WindowLimits limits, int ms) =>
        counters.Count(Scope, CounterIdentity.Of(who), limits, Now.AddMilliseconds(ms)).Counts[0];

    [Fact]
    public void An_identity_that_keeps_counting_keeps_its_exact_limit_through_a_flood()
    {
        using var counters = new LocalCounters(capacity: 100);
        var limits = new WindowLimits([new(RatePeriod.Hour, 500)]);
        var busy = CounterIdentity.Of("busy");
        var allowed = 0;

        for (var i = 0; i < 10_000; i++)
        {
            var at = Now.AddMilliseconds(i);
            counters.Count(Scope, CounterIdentity.Of("flood-" + i), limits, at);
            if (i % 10 == 0 && counters.Count(Scope, busy, limits, at).Verdict == CountVerdict.Allowed) allowed++;
        }

        Assert.Equal(500, allowed);
    }

    [Fact]
    public void The_table_keeps_no_text_a_client_sent()
    {
        var limits = new WindowLimits([new(RatePeriod.Day, 10)]);
        var header = CountWithHugeText(_counters, limits);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(header.IsAlive);
        Assert.Equal(1, _counters.EntryCount);
        // The same text, sent again, still finds its counter.
        Assert.Equal(2, _counters.Count(Scope, CounterIdentity.Of(new string('h', 32 * 1024)), limits, Now).Counts[0]);
    }

    // In its own method, so that no local of the test keeps the string alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference CountWithHugeText(LocalCounters counters, WindowLimits limits)
    {
        var text = new string('h', 32 * 1024);
        counters.Count(Scope, CounterIdentity.Of(text), limits, Now);
        return new WeakReference(text);
    }
}
