using Gateway.Proxy.RateLimits;

namespace Gateway.Proxy.Tests.RateLimits;

public class RateLimitReportTests
{
    private static CountResult Counts(CountVerdict verdict, params long[] counts)
    {
        var result = new CountResult { Verdict = verdict };
        for (var i = 0; i < counts.Length; i++) result.Counts[i] = counts[i];
        return result;
    }

    [Fact]
    public void The_window_with_the_least_remaining_is_reported()
    {
        var limits = new WindowLimits([new(RatePeriod.Second, 4), new(RatePeriod.Hour, 1200)]);

        // After the first request of the second: 3 of 4 remain per second, 1199 of 1200 per hour.
        Assert.Equal(0, RateLimitReport.MostConstraining(limits, Counts(CountVerdict.Allowed, 1, 1)));
        // Late in the hour, the hour has fewer left than the second.
        Assert.Equal(1, RateLimitReport.MostConstraining(limits, Counts(CountVerdict.Allowed, 1, 1199)));
    }

    [Fact]
    public void On_a_tie_the_longer_window_is_reported_since_its_wait_is_the_one_that_matters()
    {
        var limits = new WindowLimits([new(RatePeriod.Minute, 10), new(RatePeriod.Day, 100)]);

        Assert.Equal(1, RateLimitReport.MostConstraining(limits, Counts(CountVerdict.Limited, 10, 100)));
        Assert.Equal(1, RateLimitReport.MostConstraining(limits, Counts(CountVerdict.Allowed, 5, 95)));
    }

    [Fact]
    public void Limits_are_ordered_smallest_window_first_whatever_the_configuration_order()
    {
        var limits = new WindowLimits([new(RatePeriod.Year, 9), new(RatePeriod.Second, 1), new(RatePeriod.Minute, 3)]);

        Assert.Equal(new[] { RatePeriod.Second, RatePeriod.Minute, RatePeriod.Year }, limits.Items.Select(l => l.Period).ToArray());
    }

    [Theory]
    [InlineData(4, 1, 3)]   // allowed: counted, three left
    [InlineData(4, 4, 0)]   // allowed: the last one
    [InlineData(4, 5, 0)]   // never negative
    public void Remaining_is_the_limit_minus_the_count(long limit, long count, long remaining)
    {
        Assert.Equal(remaining, RateLimitReport.RemainingOf(limit, count));
    }

    [Fact]
    public void Header_names_are_kongs()
    {
        Assert.Equal("X-RateLimit-Limit-Second", RateLimitReport.LimitHeader(RatePeriod.Second));
        Assert.Equal("X-RateLimit-Remaining-Month", RateLimitReport.RemainingHeader(RatePeriod.Month));
        Assert.Equal("1200", RateLimitReport.Text(1200));
        Assert.Equal("7", RateLimitReport.Text(7));
    }
}
