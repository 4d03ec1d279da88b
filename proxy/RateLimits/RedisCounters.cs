using System.Security.Cryptography;
using System.Text;
using Gateway.Proxy.Status;
using StackExchange.Redis;

namespace Gateway.Proxy.RateLimits;

/// <summary>
/// Counters shared by every proxy through one Redis server, exact under any concurrency: one Lua script per request
/// checks every window and counts in all of them only when none is full. When Redis cannot be used (refused,
/// failed or too slow) requests are counted by this node's own <see cref="LocalCounters"/> instead, never let
/// through uncounted and never failed; a background probe brings Redis back into use as soon as it answers.
/// </summary>
public sealed class RedisCounters : IDisposable
{
    // KEYS: one counter per window. ARGV: each window's limit, then each window's key lifetime in seconds.
    // Returns {1, count after…} when the request was counted, {0, count found…} when a window is full.
    internal const string Script = """
        local n = #KEYS
        local counts = redis.call('MGET', unpack(KEYS))
        local allowed = 1
        for i = 1, n do
          counts[i] = tonumber(counts[i]) or 0
          if counts[i] >= tonumber(ARGV[i]) then allowed = 0 end
        end
        if allowed == 1 then
          for i = 1, n do
            counts[i] = redis.call('INCR', KEYS[i])
            if counts[i] == 1 then redis.call('EXPIRE', KEYS[i], ARGV[n + i]) end
          end
        end
        table.insert(counts, 1, allowed)
        return counts
        """;

    private static readonly byte[] ScriptHash = SHA1.HashData(Encoding.UTF8.GetBytes(Script));
    private static readonly TimeSpan FirstProbeDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestProbeDelay = TimeSpan.FromSeconds(1);

    private const int Unknown = -1, Down = 0, Up = 1;

    private readonly ConfigurationOptions _options;
    private readonly TimeSpan _timeout;
    private readonly LocalCounters _fallback;
    private readonly ILogger _logger;
    private readonly GatewayMetrics? _metrics;
    private readonly CancellationTokenSource _stopping = new();
    private ConnectionMultiplexer? _connection;
    private IDatabase? _database;
    private int _state = Unknown;
    private int _probing;

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
        if (IsAvailable) return CountInRedisAsync(scope, identity, limits, now, countLocallyWithoutRedis);
        return new ValueTask<CountResult>(CountWithoutRedis(scope, identity, limits, now, countLocallyWithoutRedis));
    }

    private async ValueTask<CountResult> CountInRedisAsync(CounterScope scope, CounterIdentity identity, WindowLimits limits,
        DateTimeOffset now, bool countLocallyWithoutRedis)
    {
        var keys = Keys(scope, identity, limits, now);
        try
        {
            RedisResult reply;
            try
            {
                reply = await _database!.ScriptEvaluateAsync(ScriptHash, keys, limits.ScriptArguments).WaitAsync(_timeout);
            }
            catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
            {
                // A restarted server has forgotten the script; EVAL runs and caches it again.
                reply = await _database!.ScriptEvaluateAsync(Script, keys, limits.ScriptArguments).WaitAsync(_timeout);
            }
            return Read(reply, limits.Count);
        }
        catch (Exception e)
        {
            // Whatever went wrong with Redis, the request must not fail because of it.
            MarkDown(e.GetType().Name + ": " + FirstLine(e.Message));
            return CountWithoutRedis(scope, identity, limits, now, countLocallyWithoutRedis);
        }
    }

    private CountResult CountWithoutRedis(CounterScope scope, CounterIdentity identity, WindowLimits limits, DateTimeOffset now,
        bool countLocally)
    {
        _metrics?.RecordRateLimitFallback();
        return countLocally ? _fallback.Count(scope, identity, limits, now) : CountResult.Unavailable;
    }

    /// <summary>"ratelimit:{route}:{service}:{identity}:{window start, unix ms}:{period}", one key per window.</summary>
    internal static RedisKey[] Keys(CounterScope scope, CounterIdentity identity, WindowLimits limits, DateTimeOffset now)
    {
        var items = limits.Items;
        var keys = new RedisKey[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var period = items[i].Period;
            var start = RatePeriods.Start(period, now).ToUnixTimeMilliseconds();
            keys[i] = Key(scope.RedisPrefix, identity, start, RatePeriods.Name(period));
        }
        return keys;
    }

    private static string Key(string prefix, CounterIdentity identity, long start, string period)
    {
        Span<char> buffer = stackalloc char[prefix.Length + identity.FormatLength + 22 + period.Length];
        prefix.CopyTo(buffer);
        var at = prefix.Length;
        identity.Format(buffer[at..], out var written);
        at += written;
        buffer[at++] = ':';
        start.TryFormat(buffer[at..], out written, provider: System.Globalization.CultureInfo.InvariantCulture);
        at += written;
        buffer[at++] = ':';
        period.CopyTo(buffer[at..]);
        return new string(buffer[..(at + period.Length)]);
    }

    private static CountResult Read(RedisResult reply, int windows)
    {
        var values = (RedisResult[])reply!;
        if (values.Length != windows + 1) throw new InvalidOperationException($"the rate-limit script answered {values.Length} values");
        var result = new CountResult { Verdict = (long)values[0] == 1 ? CountVerdict.Allowed : CountVerdict.Limited };
        for (var i = 0; i < windows; i++) result.Counts[i] = (long)values[i + 1];
        return result;
    }

    private async Task ConnectAsync()
    {
        try
        {
            Attach(await ConnectionMultiplexer.ConnectAsync(_options));
        }
        catch (Exception e)
        {
            MarkDown(FirstLine(e.Message));
            return;
        }
        if (_connection!.IsConnected) MarkUp();
        else MarkDown("no connection");
    }

    // The connection reconnects by itself; losing it stops the use of Redis at once instead of at the next failure.
    private void Attach(ConnectionMultiplexer connection)
    {
        // Replies complete their requests on the thread pool, in parallel, instead of one after the other on the
        // connection's single completion worker (which would run each request's forwarding serially).
        connection.PreserveAsyncOrder = false;
        connection.ConnectionFailed += (_, e) => MarkDown(e.FailureType.ToString());
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

    /// <summary>Asks Redis for a PING, more and more patiently, until it answers; then it is used again.</summary>
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
                    await _database!.PingAsync().WaitAsync(_timeout, _stopping.Token);
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
