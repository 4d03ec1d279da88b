using System.Runtime.CompilerServices;

namespace Gateway.Proxy.RateLimits;

public enum CountVerdict
{
    /// <summary>Counted in every window: the request may pass.</summary>
    Allowed,

    /// <summary>A window is full: nothing was counted and the request is refused.</summary>
    Limited,

    /// <summary>The shared counters could not be reached and local counting was not wanted (fault_tolerant false).</summary>
    Unavailable,
}

/// <summary>One count per configured window, in the order of <see cref="WindowLimits.Items"/>.</summary>
[InlineArray(RatePeriods.Count)]
public struct WindowCounts
{
    private long _first;
}

/// <summary>
/// The answer of a counter store for one request: the verdict and, per window, the count after this request when
/// allowed, or the count found when limited.
/// </summary>
public struct CountResult
{
    public CountVerdict Verdict;
    public WindowCounts Counts;

    public static CountResult Unavailable => new() { Verdict = CountVerdict.Unavailable };
}
