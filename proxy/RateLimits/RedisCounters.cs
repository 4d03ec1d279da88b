using System.Collections.Concurrent;
using Gateway.Proxy.Status;
using StackExchange.Redis;

namespace Gateway.Proxy.RateLimits;

/// <summary>
/// Counters shared by every proxy through one Redis server, exact under any concurrency: a Lua script checks every
/// window of a request and counts in all of them only when none is full. Requests that arrive while a script call
/// is in flight wait for it and go together in the next call, so a busy proxy makes few, larger calls; within a
/// call, requests that share counters (one client's) are counted in one step per window. When Redis
/// cannot be used (refused, failed or too slow) requests are counted by this node's own <see cref="LocalCounters"/>
/// instead, never let through uncounted and never failed; a background probe brings Redis back into use as soon
/// as it answers.
/// </summary>
public sealed class RedisCounters : IDisposable
{
    private const int MaxBatch = 128;
    private static readonly TimeSpan FirstProbeDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestProbeDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WarmUpTimeout = TimeSpan.FromSeconds(5);

    private const int Unknown = -1, Down = 0, Up = 1;

    private readonly ConfigurationOptions _options;
    private readonly TimeSpan _timeout;
    private readonly LocalCounters _fallback;
    private readonly ILogger _logger;
    private readonly GatewayMetrics? _metrics;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<PendingCount> _waiting = new();
    private ConnectionMultiplexer? _connection;
    private IDatabase? _database;
    private int _state = Unknown;
    private int _probing;
    private int _sending;

    public RedisCounters(ConfigurationOptions options, TimeSpan timeout, ILogger logger, GatewayMetrics? metrics)
    {
        _options = options;
        _options.AbortOnConnectFail = false;
        _timeout = timeout;
        _logger = logger;
        _metrics = metrics;
        _fallback = new LocalCounters();
        Name = RedisEndpoint.Describe(options);
        Ready = ConnectAsync();
    }

    /// <summary>The server's address, for logs and metrics.</summary>
    public string Name { get; }

    /// <summary>Completes once the first connection attempt has succeeded or failed.</summary>
    public Task Ready { get; }

    public bool IsAvailable => Volatile.Read(ref _state) == Up;

    /// <summary>
    /// Counts one request in every window of <paramref name="limits"/>. Without Redis the request is counted locally,
    /// or, when <paramref name="countLocallyWithoutRedis"/> is false, <see cref="CountVerdict.Unavailable"/> is answered.
    /// </summary>
    public ValueTask<CountResult> CountAsync(CounterScope scope, CounterIdentity identity, WindowLimits limits,
        DateTimeOffset now, bool countLocallyWithoutRedis)
    {
        if (!IsAvailable) return new ValueTask<CountResult>(CountWithoutRedis(scope, identity, limits, now, countLocallyWithoutRedis));
        var pending = new PendingCount(scope, identity, limits, now, countLocallyWithoutRedis);
        _waiting.Enqueue(pending);
        SendWaiting();
        return new ValueTask<CountResult>(pending.Task);
    }

    /// <summary>Sends the waiting requests unless a call is in flight (its sender sends them when it returns).</summary>
    private void SendWaiting()
    {
        while (!_waiting.IsEmpty && Interlocked.CompareExchange(ref _sending, 1, 0) == 0)
        {
            var batch = new List<PendingCount>(Math.Min(_waiting.Count, MaxBatch));
            while (batch.Count < MaxBatch && _waiting.TryDequeue(out var pending)) batch.Add(pending);
            if (batch.Count > 0)
            {
                _ = SendAsync(batch);
                return;
            }
            Volatile.Write(ref _sending, 0);
        }
    }

    private async Task SendAsync(List<PendingCount> batch)
    {
        var groups = RedisScript.Group(batch);
        var reply = IsAvailable ? await CountInRedisAsync(groups) : null;
        // The next batch goes out before these requests continue (each on the thread pool).
        Volatile.Write(ref _sending, 0);
        SendWaiting();
        Complete(groups, reply);
    }

    /// <summary>The script's answer for <paramref name="groups"/>, or null when Redis failed (whatever went wrong, no request fails).</summary>
    private async Task<RedisResult[]?> CountInRedisAsync(List<CountGroup> groups)
    {
        try
        {
            var (keys, arguments) = RedisScript.Batch(groups);
            RedisResult reply;
            try
            {
                reply = await _database!.ScriptEvaluateAsync(RedisScript.Hash, keys, arguments).WaitAsync(_timeout);
            }
            catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
            {
                // A restarted server has forgotten the script; EVAL runs and caches it again.
                reply = await _database!.ScriptEvaluateAsync(RedisScript.Text, keys, arguments).WaitAsync(_timeout);
            }
            var values = (RedisResult[])reply!;
            if (values.Length != RedisScript.ReplyLength(groups))
                throw new InvalidOperationException($"the rate-limit script answered {values.Length} values, not {RedisScript.ReplyLength(groups)}");
            return values;
        }
        catch (Exception e)
        {
            if (IsAvailable) MarkDown(e.GetType().Name + ": " + FirstLine(e.Message));
            return null;
        }
    }

    /// <summary>Gives every request of the batch its count: from the script's answer, or this node's own without one.</summary>
    private void Complete(List<CountGroup> groups, RedisResult[]? reply)
    {
        Span<CountResult> results = stackalloc CountResult[MaxBatch];
        var offset = 0;
        foreach (var group in groups)
        {
            var members = group.Members;
            if (reply is not null) RedisScript.Read(reply, ref offset, group, results[..members.Count]);
            for (var m = 0; m < members.Count; m++)
            {
                var pending = members[m];
                pending.SetResult(reply is not null ? results[m]
                    : CountWithoutRedis(pending.Scope, pending.Identity, pending.Limits, pending.Now, pending.CountLocallyWithoutRedis));
            }
        }
    }

    private CountResult CountWithoutRedis(CounterScope scope, CounterIdentity identity, WindowLimits limits, DateTimeOffset now,
        bool countLocally)
    {
        _metrics?.RecordRateLimitFallback();
        return countLocally ? _fallback.Count(scope, identity, limits, now) : CountResult.Unavailable;
    }

    private async Task ConnectAsync()
    {
        try
        {
            Attach(await ConnectionMultiplexer.ConnectAsync(_options));
            if (!_connection!.IsConnected)
            {
                MarkDown("no connection");
                return;
            }
            await WarmUpAsync();
        }
        catch (Exception e)
        {
            MarkDown(FirstLine(e.Message));
            return;
        }
        MarkUp();
    }

    /// <summary>
    /// Runs the script on a probe counter, adding nothing, before Redis is used: this shows that the connection's user
    /// may run it on rate-limit keys, the server caches it for EVALSHA, and this
    /// process's first real count does not pay for the first call's setup (which can exceed the timeout).
    /// </summary>
    private async Task WarmUpAsync()
    {
        await _database!.ScriptEvaluateAsync(RedisScript.Text, RedisScript.ProbeKeys, RedisScript.ProbeArguments)
            .WaitAsync(WarmUpTimeout, _stopping.Token);
        await _database.ScriptEvaluateAsync(RedisScript.Hash, RedisScript.ProbeKeys, RedisScript.ProbeArguments)
            .WaitAsync(WarmUpTimeout, _stopping.Token);
    }

    // The connection reconnects by itself; losing it stops the use of Redis at once instead of at the next failure.
    private void Attach(ConnectionMultiplexer connection)
    {
        connection.ConnectionFailed += (_, e) =>
        {
            // Only the command connection matters; the library's pub/sub connection is not used here.
            if (e.ConnectionType == ConnectionType.Interactive) MarkDown(e.FailureType.ToString());
        };
        _database = connection.GetDatabase();
        _connection = connection;
    }

    private void MarkUp()
    {
        var previous = Interlocked.Exchange(ref _state, Up);
        _metrics?.SetRateLimitRedisAvailable(Name, true);
        if (previous == Down) _logger.LogWarning("rate limiting: Redis {Redis} answers again; limits are shared through it again", Name);
        else if (previous == Unknown) _logger.LogInformation("rate limiting: counting in Redis {Redis}", Name);
    }

    /// <summary>Stops using Redis (logging once per outage) and starts probing for its return.</summary>
    private void MarkDown(string reason)
    {
        var previous = Interlocked.Exchange(ref _state, Down);
        _metrics?.SetRateLimitRedisAvailable(Name, false);
        if (previous != Down)
        {
            _logger.LogWarning("rate limiting: Redis {Redis} is unavailable ({Reason}); each node counts its own limits until it answers",
                Name, reason);
        }
        if (Interlocked.CompareExchange(ref _probing, 1, 0) == 0) _ = ProbeAsync();
    }

    /// <summary>Tries Redis again, more and more patiently, until it answers the script; then it is used again.</summary>
    private async Task ProbeAsync()
    {
        var delay = FirstProbeDelay;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, _stopping.Token);
                if (_connection is null) Attach(await ConnectionMultiplexer.ConnectAsync(_options));
                if (_connection!.IsConnected)
                {
                    await WarmUpAsync();
                    Volatile.Write(ref _probing, 0);
                    MarkUp();
                    return;
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Still down: try again later.
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestProbeDelay.Ticks));
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n');
        return end < 0 ? message : message[..end].TrimEnd();
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _fallback.Dispose();
        _connection?.Dispose();
    }
}
