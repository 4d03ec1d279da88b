using System.Globalization;

namespace Gateway.Proxy.RateLimits;

/// <summary>
/// What the client is told about its limits, as Kong tells it: per window its limit and what remains of it
/// (X-RateLimit-Limit-Minute, X-RateLimit-Remaining-Minute, …), and for the most constraining window the draft
/// standard's RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (seconds), which Retry-After repeats on a 429.
/// </summary>
public static class RateLimitReport
{
    public const string Limit = "RateLimit-Limit";
    public const string Remaining = "RateLimit-Remaining";
    public const string Reset = "RateLimit-Reset";
    public const string RetryAfter = "Retry-After";

    private static readonly string[] LimitHeaders =
        ["X-RateLimit-Limit-Second", "X-RateLimit-Limit-Minute", "X-RateLimit-Limit-Hour", "X-RateLimit-Limit-Day",
         "X-RateLimit-Limit-Month", "X-RateLimit-Limit-Year"];

    private static readonly string[] RemainingHeaders =
        ["X-RateLimit-Remaining-Second", "X-RateLimit-Remaining-Minute", "X-RateLimit-Remaining-Hour",
         "X-RateLimit-Remaining-Day", "X-RateLimit-Remaining-Month", "X-RateLimit-Remaining-Year"];

    private static readonly string[] SmallNumbers = Enumerable.Range(0, 1024).Select(n => n.ToString(CultureInfo.InvariantCulture)).ToArray();

    public static string LimitHeader(RatePeriod period) => LimitHeaders[(int)period];

    public static string RemainingHeader(RatePeriod period) => RemainingHeaders[(int)period];

    /// <summary>
    /// What remains of a window whose count is <paramref name="count"/> (after this request when it was let through,
    /// as found when it was refused; a refused request took nothing, so a full window shows 0).
    /// </summary>
    public static long RemainingOf(long limit, long count) => Math.Max(0, limit - count);

    /// <summary>
    /// The index of the most constraining window: the least remaining, and of those the longest window, since its
    /// wait is the one that matters.
    /// </summary>
    public static int MostConstraining(WindowLimits limits, in CountResult result)
    {
        var items = limits.Items;
        var chosen = 0;
        var least = long.MaxValue;
        for (var i = 0; i < items.Length; i++)
        {
            // Windows are ordered smallest first, so on a tie the later (longer) window wins.
            var remaining = RemainingOf(items[i].Limit, result.Counts[i]);
            if (remaining <= least)
            {
                least = remaining;
                chosen = i;
            }
        }
        return chosen;
    }

    /// <summary>A number as header text; small ones come from a table instead of a new string.</summary>
    public static string Text(long value) =>
        (ulong)value < (ulong)SmallNumbers.Length ? SmallNumbers[value] : value.ToString(CultureInfo.InvariantCulture);
}
