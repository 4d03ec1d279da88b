namespace Gateway.Proxy.RateLimits;

/// <summary>The fixed windows a limit can be counted in, smallest first (the order of Kong's periods).</summary>
public enum RatePeriod
{
    Second,
    Minute,
    Hour,
    Day,
    Month,
    Year,
}

/// <summary>
/// Window arithmetic. Windows are aligned to UTC calendar boundaries, as Kong aligns them: a minute window starts at
/// second 0, a day window at midnight UTC, a month window on the 1st, a year window on January 1st.
/// </summary>
public static class RatePeriods
{
    public const int Count = 6;

    public static readonly RatePeriod[] All =
        [RatePeriod.Second, RatePeriod.Minute, RatePeriod.Hour, RatePeriod.Day, RatePeriod.Month, RatePeriod.Year];

    private static readonly string[] Names = ["second", "minute", "hour", "day", "month", "year"];

    /// <summary>The config field and key name: "second", "minute", …</summary>
    public static string Name(RatePeriod period) => Names[(int)period];

    /// <summary>When the window holding <paramref name="now"/> starts.</summary>
    public static DateTimeOffset Start(RatePeriod period, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        var start = period switch
        {
            RatePeriod.Second => new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, utc.Second, DateTimeKind.Utc),
            RatePeriod.Minute => new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, DateTimeKind.Utc),
            RatePeriod.Hour => new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc),
            RatePeriod.Day => new DateTime(utc.Year, utc.Month, utc.Day, 0, 0, 0, DateTimeKind.Utc),
            RatePeriod.Month => new DateTime(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc),
            _ => new DateTime(utc.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        };
        return new DateTimeOffset(start);
    }

    /// <summary>When the window starting at <paramref name="start"/> ends (the next window's start).</summary>
    public static DateTimeOffset End(RatePeriod period, DateTimeOffset start) => period switch
    {
        RatePeriod.Second => start.AddSeconds(1),
        RatePeriod.Minute => start.AddMinutes(1),
        RatePeriod.Hour => start.AddHours(1),
        RatePeriod.Day => start.AddDays(1),
        RatePeriod.Month => start.AddMonths(1),
        _ => start.AddYears(1),
    };

    /// <summary>The longest a window of this period can last, in seconds (31-day months, leap years).</summary>
    public static long MaxSeconds(RatePeriod period) => period switch
    {
        RatePeriod.Second => 1,
        RatePeriod.Minute => 60,
        RatePeriod.Hour => 3600,
        RatePeriod.Day => 86_400,
        RatePeriod.Month => 31 * 86_400,
        _ => 366 * 86_400,
    };

    /// <summary>
    /// Whole seconds until the window holding <paramref name="now"/> ends, at least 1: RateLimit-Reset and
    /// Retry-After.
    /// </summary>
    public static long SecondsToReset(RatePeriod period, DateTimeOffset now)
    {
        var remaining = End(period, Start(period, now)) - now;
        return Math.Max(1, (long)Math.Ceiling(remaining.TotalSeconds));
    }
}
