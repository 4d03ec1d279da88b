using System.Net;
using Gateway.Proxy.RateLimits;

namespace Gateway.Proxy.IntegrationTests.Plugins.RateLimiting;

/// <summary>
/// Helpers for fixed windows: a test whose requests must all fall in one window either starts at the beginning of
/// a second, or is repeated (with fresh counters) when its requests straddled a window boundary.
/// </summary>
public static class RateLimitRequests
{
    /// <summary>Waits for the start of the next second, so that a quick burst falls inside one second window.</summary>
    public static async Task StartOfNextSecondAsync()
    {
        var now = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromMilliseconds(1000 - now.Millisecond + 5));
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> (given the attempt number, to pick fresh identities) until its requests all
    /// fell in one <paramref name="period"/> window; second windows start aligned to a second.
    /// </summary>
    public static async Task<T> InOneWindowAsync<T>(RatePeriod period, Func<int, Task<T>> attempt)
    {
        for (var number = 1; ; number++)
        {
            if (period == RatePeriod.Second) await StartOfNextSecondAsync();
            var started = DateTimeOffset.UtcNow;
            var result = await attempt(number);
            var finished = DateTimeOffset.UtcNow;
            if (RatePeriods.Start(period, started) == RatePeriods.Start(period, finished)) return result;
            if (number == 5) throw new InvalidOperationException($"five attempts in a row straddled a {period} window boundary");
        }
    }

    /// <summary>Waits while the current hour has less than <paramref name="margin"/> left, so a longer test stays inside it.</summary>
    public static async Task WellInsideTheHourAsync(TimeSpan margin)
    {
        var now = DateTimeOffset.UtcNow;
        var left = RatePeriods.End(RatePeriod.Hour, RatePeriods.Start(RatePeriod.Hour, now)) - now;
        if (left < margin) await Task.Delay(left + TimeSpan.FromSeconds(1));
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    public static int Allowed(IEnumerable<HttpResponseMessage> responses) => responses.Count(r => r.StatusCode == HttpStatusCode.OK);
}
