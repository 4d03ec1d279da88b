using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Gateway.Proxy.RateLimits;

/// <summary>
/// The Lua script that counts requests in Redis, atomically: for each request of a batch, in order, it reads the
/// request's window counters and increments all of them only when none is full. Redis runs a script alone, so no
/// other proxy's request can slip in between the check and the increments.
/// </summary>
public static class RedisScript
{
    // KEYS: each request's window counters, one request after the other.
    // ARGV: the number of requests, then per request: its number of windows w, w limits, w key lifetimes (seconds).
    // Returns per request: 1 and the counts after it when it was counted, 0 and the counts found when a window is full.
    // Counting first and taking back when a window turns out full needs one call per window in the usual case.
    public const string Text = """
        local reply = {}
        local k = 0
        local a = 2
        for r = 1, tonumber(ARGV[1]) do
          local w = tonumber(ARGV[a])
          local counts = {}
          local allowed = 1
          for i = 1, w do
            local count = redis.call('INCR', KEYS[k + i])
            if count == 1 then redis.call('EXPIRE', KEYS[k + i], ARGV[a + w + i]) end
            if count > tonumber(ARGV[a + i]) then allowed = 0 end
            counts[i] = count
          end
          if allowed == 0 then
            for i = 1, w do counts[i] = redis.call('DECR', KEYS[k + i]) end
          end
          reply[#reply + 1] = allowed
          for i = 1, w do reply[#reply + 1] = counts[i] end
          k = k + w
          a = a + 1 + 2 * w
        end
        return reply
        """;

    /// <summary>The script's SHA1, for EVALSHA.</summary>
    public static readonly byte[] Hash = SHA1.HashData(Encoding.UTF8.GetBytes(Text));

    /// <summary>"ratelimit:{route}:{service}:{identity}:{window start, unix ms}:{period}", one key per window.</summary>
    public static RedisKey[] Keys(CounterScope scope, CounterIdentity identity, WindowLimits limits, DateTimeOffset now)
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

    /// <summary>The KEYS and ARGV of one script call counting <paramref name="requests"/>.</summary>
    public static (RedisKey[] Keys, RedisValue[] Arguments) Batch(IReadOnlyList<PendingCount> requests)
    {
        var keyCount = 0;
        var argumentCount = 1;
        foreach (var request in requests)
        {
            keyCount += request.Keys.Length;
            argumentCount += request.Limits.ScriptArguments.Length;
        }
        var allKeys = new RedisKey[keyCount];
        var arguments = new RedisValue[argumentCount];
        arguments[0] = requests.Count;
        var k = 0;
        var a = 1;
        foreach (var request in requests)
        {
            request.Keys.CopyTo(allKeys, k);
            k += request.Keys.Length;
            request.Limits.ScriptArguments.CopyTo(arguments, a);
            a += request.Limits.ScriptArguments.Length;
        }
        return (allKeys, arguments);
    }

    /// <summary>The verdict and counts of the request whose answer starts at <paramref name="offset"/>; moves past it.</summary>
    public static CountResult Read(RedisResult[] reply, ref int offset, int windows)
    {
        if (reply.Length < offset + 1 + windows) throw new InvalidOperationException("the rate-limit script answered too few values");
        var result = new CountResult { Verdict = (long)reply[offset] == 1 ? CountVerdict.Allowed : CountVerdict.Limited };
        for (var i = 0; i < windows; i++) result.Counts[i] = (long)reply[offset + 1 + i];
        offset += 1 + windows;
        return result;
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
}
