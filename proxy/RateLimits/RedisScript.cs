using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Gateway.Proxy.RateLimits;

/// <summary>
/// The Lua script that counts requests in Redis, atomically: for each group of a batch, in order, it counts the
/// group's requests in all of the group's window counters and takes back those that do not fit. Redis runs a script
/// alone, so no other proxy's request can slip in between the check and the increments.
/// </summary>
public static class RedisScript
{
    // KEYS: each group's window counters, one group after the other.
    // ARGV: the number of groups, then per group: its number of requests n, its number of windows w, w limits,
    // w key lifetimes (seconds).
    // Returns per group: how many of its requests were counted, then per window the count found before the group.
    // The group's first requests are counted as long as every window has room; that is what counting them one after
    // the other would do, in one step per window. Counting first and taking back the requests that do not fit needs
    // one call per window in the usual case.
    public const string Text = """
        local reply = {}
        local k = 0
        local a = 2
        for g = 1, tonumber(ARGV[1]) do
          local n = tonumber(ARGV[a])
          local w = tonumber(ARGV[a + 1])
          local counted = n
          local before = {}
          for i = 1, w do
            local count = redis.call('INCRBY', KEYS[k + i], n)
            if count == n then redis.call('EXPIRE', KEYS[k + i], ARGV[a + 1 + w + i]) end
            before[i] = count - n
            local room = tonumber(ARGV[a + 1 + i]) - before[i]
            if room < counted then counted = room end
          end
          if counted < 0 then counted = 0 end
          if counted < n then
            for i = 1, w do redis.call('DECRBY', KEYS[k + i], n - counted) end
          end
          reply[#reply + 1] = counted
          for i = 1, w do reply[#reply + 1] = before[i] end
          k = k + w
          a = a + 2 + 2 * w
        end
        return reply
        """;

    /// <summary>The script's SHA1, for EVALSHA.</summary>
    public static readonly byte[] Hash = SHA1.HashData(Encoding.UTF8.GetBytes(Text));

    /// <summary>A call that counts nothing on one short-lived key of the rate-limit namespace: a group of no requests.</summary>
    public static readonly RedisKey[] ProbeKeys = ["ratelimit:probe"];

    /// <inheritdoc cref="ProbeKeys"/>
    public static readonly RedisValue[] ProbeArguments = [1, 0, 1, 0, 1];

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

    /// <summary>
    /// Splits a batch into groups of requests that count in the same counters under the same limits (in a busy
    /// proxy, typically one client's requests), in the order of their first requests.
    /// </summary>
    public static List<CountGroup> Group(IReadOnlyList<PendingCount> batch)
    {
        var groups = new List<CountGroup>();
        for (var i = 0; i < batch.Count; i++)
        {
            var request = batch[i];
            var joined = false;
            for (var g = 0; g < groups.Count && !joined; g++) joined = groups[g].TryAdd(request);
            if (!joined) groups.Add(new CountGroup(request));
        }
        return groups;
    }

    /// <summary>The KEYS and ARGV of one script call counting <paramref name="groups"/>.</summary>
    public static (RedisKey[] Keys, RedisValue[] Arguments) Batch(IReadOnlyList<CountGroup> groups)
    {
        var keyCount = 0;
        var argumentCount = 1;
        foreach (var group in groups)
        {
            keyCount += group.First.Keys.Length;
            argumentCount += 1 + group.First.Limits.ScriptArguments.Length;
        }
        var allKeys = new RedisKey[keyCount];
        var arguments = new RedisValue[argumentCount];
        arguments[0] = groups.Count;
        var k = 0;
        var a = 1;
        foreach (var group in groups)
        {
            group.First.Keys.CopyTo(allKeys, k);
            k += group.First.Keys.Length;
            arguments[a++] = group.Members.Count;
            group.First.Limits.ScriptArguments.CopyTo(arguments, a);
            a += group.First.Limits.ScriptArguments.Length;
        }
        return (allKeys, arguments);
    }

    /// <summary>How many values the script answers for <paramref name="groups"/>.</summary>
    public static int ReplyLength(IReadOnlyList<CountGroup> groups)
    {
        var length = 0;
        foreach (var group in groups) length += 1 + group.First.Limits.Count;
        return length;
    }

    /// <summary>
    /// Reads the answer for <paramref name="group"/>, which starts at <paramref name="offset"/>, into one result per
    /// member (in the group's order); moves past it. A counted request gets the counts after it, a refused one the
    /// counts it found, as if the members had been counted one after the other.
    /// </summary>
    public static void Read(RedisResult[] reply, ref int offset, CountGroup group, Span<CountResult> results)
    {
        var windows = group.First.Limits.Count;
        var counted = (long)reply[offset];
        for (var m = 0; m < results.Length; m++)
        {
            var allowed = m < counted;
            results[m].Verdict = allowed ? CountVerdict.Allowed : CountVerdict.Limited;
            for (var i = 0; i < windows; i++) results[m].Counts[i] = (long)reply[offset + 1 + i] + (allowed ? m + 1 : counted);
        }
        offset += 1 + windows;
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
