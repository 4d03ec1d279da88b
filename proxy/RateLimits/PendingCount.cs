using StackExchange.Redis;

namespace Gateway.Proxy.RateLimits;

/// <summary>
/// One request waiting for its count in Redis: what to count, and the task its handler awaits. Completions run
/// asynchronously so that the requests of one batch continue in parallel, not one after the other.
/// </summary>
public sealed class PendingCount(CounterScope scope, CounterIdentity identity, WindowLimits limits, DateTimeOffset now,
    bool countLocallyWithoutRedis) : TaskCompletionSource<CountResult>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public CounterScope Scope { get; } = scope;
    public CounterIdentity Identity { get; } = identity;
    public WindowLimits Limits { get; } = limits;
    public DateTimeOffset Now { get; } = now;
    public bool CountLocallyWithoutRedis { get; } = countLocallyWithoutRedis;

    /// <summary>Its window counters' keys, built by the request itself rather than by whoever sends the batch.</summary>
    public RedisKey[] Keys { get; } = RedisScript.Keys(scope, identity, limits, now);
}
