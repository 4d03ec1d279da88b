using Gateway.Proxy.RateLimits;

namespace Gateway.Proxy.Tests.RateLimits;

public class RatePeriodsTests
{
    private static readonly DateTimeOffset Now = new(2024, 2, 29, 13, 45, 30, 250, TimeSpan.Zero);

    [Theory]
    [InlineData(RatePeriod.Second, "2024-02-29T13:45:30Z", "2024-02-29T13:45:31Z")]
    [InlineData(RatePeriod.Minute, "2024-02-29T13:45:00Z", "2024-02-29T13:46:00Z")]
    [InlineData(RatePeriod.Hour, "2024-02-29T13:00:00Z", "2024-02-29T14:00:00Z")]
    [InlineData(RatePeriod.Day, "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z")]
    [InlineData(RatePeriod.Month, "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z")]
    [InlineData(RatePeriod.Year, "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")]
    public void Windows_are_aligned_to_utc_calendar_boundaries(RatePeriod period, string start, string end)
    {
        var windowStart = RatePeriods.Start(period, Now);

        Assert.Equal(DateTimeOffset.Parse(start), windowStart);
        Assert.Equal(DateTimeOffset.Parse(end), RatePeriods.End(period, windowStart));
    }

    [Fact]
    public void A_time_in_another_offset_falls_in_the_utc_window()
    {
        var local = new DateTimeOffset(2024, 3, 1, 1, 30, 0, TimeSpan.FromHours(2)); // 2024-02-29T23:30Z

        Assert.Equal(DateTimeOffset.Parse("2024-02-29T00:00:00Z"), RatePeriods.Start(RatePeriod.Day, local));
        Assert.Equal(DateTimeOffset.Parse("2024-02-01T00:00:00Z"), RatePeriods.Start(RatePeriod.Month, local));
    }

    [Theory]
    [InlineData(RatePeriod.Second, 1)]     // 750 ms left: whole seconds, rounded up
    [InlineData(RatePeriod.Minute, 30)]    // 29.75 s left
    [InlineData(RatePeriod.Hour, 870)]     // 14 min 29.75 s left
    [InlineData(RatePeriod.Day, 36870)]    // 10 h 14 min 29.75 s left
    [InlineData(RatePeriod.Month, 36870)]  // the 29th is the last day of February 2024
    public void Reset_is_the_whole_seconds_until_the_window_ends(RatePeriod period, long seconds)
    {
        Assert.Equal(seconds, RatePeriods.SecondsToReset(period, Now));
    }

    [Fact]
    public void Reset_is_at_least_one_second()
    {
        var exactlyAtStart = new DateTimeOffset(2024, 2, 29, 13, 45, 30, TimeSpan.Zero);
        Assert.Equal(1, RatePeriods.SecondsToReset(RatePeriod.Second, exactlyAtStart));
        Assert.Equal(1, RatePeriods.SecondsToReset(RatePeriod.Second, exactlyAtStart.AddTicks(TimeSpan.TicksPerSecond - 1)));
    }

    [Fact]
    public void Key_lifetimes_cover_the_longest_month_and_year()
    {
        Assert.True(RatePeriods.MaxSeconds(RatePeriod.Month) >= 31 * 86_400);
        Assert.True(RatePeriods.MaxSeconds(RatePeriod.Year) >= 366 * 86_400);
    }
}
