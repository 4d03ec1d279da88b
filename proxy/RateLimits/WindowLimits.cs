using StackExchange.Redis;

namespace Gateway.Proxy.RateLimits;

/// <summary>One configured limit: at most <see cref="Limit"/> requests per <see cref="Period"/> window.</summary>
public readonly record struct WindowLimit(RatePeriod Period, long Limit);

/// <summary>
/// The limits of one plugin configuration, smallest window first, with what every count of them needs prepared
/// once instead of per request.
/// </summary>
public sealed class WindowLimits
{
    public WindowLimits(IEnumerable<WindowLimit> limits)
    {
        Items = limits.OrderBy(l => l.Period).ToArray();
        if (Items.Length == 0) throw new ArgumentException("at least one window needs a limit", nameof(limits));
        var arguments = new RedisValue[1 + Items.Length * 2];
        arguments[0] = Items.Length;
        for (var i = 0; i < Items.Length; i++)
        {
            arguments[1 + i] = Items[i].Limit;
            // A key lives a whole window past its creation, plus a second for clocks that differ between nodes.
            arguments[1 + Items.Length + i] = RatePeriods.MaxSeconds(Items[i].Period) + 1;
        }
        ScriptArguments = arguments;
    }

    public WindowLimit[] Items { get; }

    public int Count => Items.Length;

    /// <summary>This request's part of the Redis script's ARGV: the number of windows, their limits, their key lifetimes in seconds.</summary>
    internal RedisValue[] ScriptArguments { get; }
}
