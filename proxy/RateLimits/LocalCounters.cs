using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Proxy.RateLimits;

/// <summary>
/// Exact counters in this process. A request takes one unit from each of its windows with a compare-and-swap that
/// never goes past the limit, and gives back what it took when a later window is full, so no window ever admits
/// more than its limit and no lock is taken. A new window simply replaces the old counter; identities whose windows
/// have all ended are swept away in the background.
/// <para>
/// The table is bounded, whatever identities clients make up: an identity is kept as a 128-bit keyed digest (never
/// the text a client chose, such as a header value), and at most <see cref="Capacity"/> identities are kept. When a
/// new one finds the table full, those whose windows have all ended go first; then, if that freed less than a tenth
/// of the table, the least recently counted ones, so that identities counting now keep exact counts. An identity
/// that is forgotten starts again from zero.
/// </para>
/// </summary>
public sealed class LocalCounters : IDisposable
{
    /// <summary>About 26 MiB of counters with one window each, 38 MiB with four (measured).</summary>
    public const int DefaultCapacity = 100_000;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(15);
    private const int MaxStackBytes = 256;

    // The key of the identity digests: random, and known only to this process.
    private static readonly byte[] DigestKey = RandomNumberGenerator.GetBytes(32);

    // One HMAC per thread: creating one per digest would cost several times the digest itself.
    [ThreadStatic] private static HMACSHA256? t_digester;

    private readonly ConcurrentDictionary<CounterKey, Entry> _entries = new();
    private readonly Lock _makingRoom = new();
    private readonly ITimer _sweeper;
    private int _count;

    public LocalCounters(TimeProvider? clock = null, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        clock ??= TimeProvider.System;
        _sweeper = clock.CreateTimer(_ => Sweep(clock.GetUtcNow()), null, SweepInterval, SweepInterval);
    }

    /// <summary>The most identities kept at once, over every route and service.</summary>
    public int Capacity { get; }

    /// <summary>How many identities have counters.</summary>
    public int EntryCount => Volatile.Read(ref _count);

    public CountResult Count(CounterScope scope, CounterIdentity identity, WindowLimits limits, DateTimeOffset now)
    {
        var key = new CounterKey(scope.Route, scope.Service, identity.Id, identity.Text is null ? default : Digest(identity.Text));
        var nowMs = now.ToUnixTimeMilliseconds();
        while (true)
        {
            var entry = Find(key, nowMs);
            var taken = new TakenWindows();
            var result = entry.Take(limits, now, nowMs, ref taken);
            if (!entry.IsRetired) return result;
            // The entry was retired (swept or evicted) while we counted in it: count again in its successor.
            if (result.Verdict == CountVerdict.Allowed) taken.GiveBack(limits.Count);
        }
    }

    /// <summary>Removes the counters of identities whose windows have all ended.</summary>
    public void Sweep(DateTimeOffset now) => Sweep(now.ToUnixTimeMilliseconds());

    public void Dispose() => _sweeper.Dispose();

    /// <summary>
    /// 128 bits of an HMAC-SHA256 under a key of this process: a client can neither make two texts share a counter nor
    /// tell which do, and a long text costs the table no more than a short one.
    /// </summary>
    private static UInt128 Digest(string text)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        var rented = maxBytes <= MaxStackBytes ? null : ArrayPool<byte>.Shared.Rent(maxBytes);
        var bytes = rented ?? stackalloc byte[MaxStackBytes];
        var length = Encoding.UTF8.GetBytes(text, bytes);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        (t_digester ??= new HMACSHA256(DigestKey)).TryComputeHash(bytes[..length], mac, out _);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        return BinaryPrimitives.ReadUInt128LittleEndian(mac);
    }

    /// <summary>The identity's entry; a new one is added only once the table has room for it.</summary>
    private Entry Find(CounterKey key, long nowMs)
    {
        if (_entries.TryGetValue(key, out var entry)) return entry;
        ReserveRoom(nowMs);
        var fresh = new Entry();
        entry = _entries.GetOrAdd(key, fresh);
        // Another request added it first: give back the room reserved for ours.
        if (!ReferenceEquals(entry, fresh)) Interlocked.Decrement(ref _count);
        return entry;
    }

    /// <summary>Counts a new entry in, making room first when the table is full, so the count never passes the capacity.</summary>
    private void ReserveRoom(long nowMs)
    {
        while (true)
        {
            var count = Volatile.Read(ref _count);
            if (count < Capacity)
            {
                if (Interlocked.CompareExchange(ref _count, count + 1, count) == count) return;
                continue;
            }
            lock (_makingRoom)
            {
                if (Volatile.Read(ref _count) >= Capacity) MakeRoom(nowMs);
            }
        }
    }

    /// <summary>
    /// Frees at least a tenth of the table (so that a flood of new identities pays for this once per that many): ended
    /// entries first, then the least recently counted.
    /// </summary>
    private void MakeRoom(long nowMs)
    {
        Sweep(nowMs);
        var excess = Volatile.Read(ref _count) - (Capacity - Math.Max(1, Capacity / 10));
        if (excess <= 0) return;
        var entries = _entries.ToArray();
        var lastUsed = new long[entries.Length];
        for (var i = 0; i < entries.Length; i++) lastUsed[i] = entries[i].Value.LastUsedMs;
        Array.Sort(lastUsed, entries);
        for (var i = 0; i < entries.Length && excess > 0; i++)
        {
            if (entries[i].Value.TryEvict() && Remove(entries[i])) excess--;
        }
    }

    private void Sweep(long nowMs)
    {
        foreach (var entry in _entries)
        {
            if (entry.Value.TryRetire(nowMs)) Remove(entry);
        }
    }

    private bool Remove(KeyValuePair<CounterKey, Entry> entry)
    {
        if (!_entries.TryRemove(entry)) return false;
        Interlocked.Decrement(ref _count);
        return true;
    }

    /// <summary>The windows a request took a unit from, to give back when it is not let through after all.</summary>
    [InlineArray(RatePeriods.Count)]
    private struct TakenWindows
    {
        private Window? _first;

        public void GiveBack(int count)
        {
            for (var i = 0; i < count; i++) this[i]!.GiveBack();
        }
    }

    /// <summary>One identity's counters, one slot per period.</summary>
    private sealed class Entry
    {
        private readonly Window?[] _windows = new Window?[RatePeriods.Count];
        private int _retired;
        private long _lastUsedMs;

        public bool IsRetired => Volatile.Read(ref _retired) == 1;

        /// <summary>When a request last counted here (Unix milliseconds).</summary>
        public long LastUsedMs => Volatile.Read(ref _lastUsedMs);

        public CountResult Take(WindowLimits limits, DateTimeOffset now, long nowMs, ref TakenWindows taken)
        {
            // Written only when it changes, so that a busy identity does not write the same line on every request.
            if (Volatile.Read(ref _lastUsedMs) < nowMs) Volatile.Write(ref _lastUsedMs, nowMs);
            var items = limits.Items;
            var result = new CountResult { Verdict = CountVerdict.Allowed };
            for (var i = 0; i < items.Length; i++)
            {
                var window = Current(items[i].Period, now);
                if (window.TryTake(items[i].Limit, out result.Counts[i]))
                {
                    taken[i] = window;
                    continue;
                }

                // Full: give back what was taken, and report every window as it stands.
                result.Verdict = CountVerdict.Limited;
                for (var j = 0; j < i; j++) result.Counts[j] = taken[j]!.GiveBack();
                for (var j = i + 1; j < items.Length; j++) result.Counts[j] = Current(items[j].Period, now).Value;
                return result;
            }
            return result;
        }

        /// <summary>
        /// Retires the entry when every window has ended. The windows are checked again after the retirement is
        /// published, so a request that opened a window meanwhile either sees the retirement or is seen here.
        /// </summary>
        public bool TryRetire(long nowMs)
        {
            if (!HasEnded(nowMs) || Interlocked.CompareExchange(ref _retired, 1, 0) != 0) return false;
            if (HasEnded(nowMs)) return true;
            Volatile.Write(ref _retired, 0);
            return false;
        }

        /// <summary>Retires the entry whatever its windows hold; false when it was already retired.</summary>
        public bool TryEvict() => Interlocked.Exchange(ref _retired, 1) == 0;

        private bool HasEnded(long nowMs)
        {
            for (var i = 0; i < _windows.Length; i++)
            {
                if (Volatile.Read(ref _windows[i]) is { } window && window.EndMs > nowMs) return false;
            }
            return true;
        }

        /// <summary>The counter of the window holding <paramref name="now"/>; an older one is replaced.</summary>
        private Window Current(RatePeriod period, DateTimeOffset now)
        {
            ref var slot = ref _windows[(int)period];
            var window = Volatile.Read(ref slot);
            var startMs = RatePeriods.Start(period, now).ToUnixTimeMilliseconds();
            // A newer window than ours means another request read the clock a moment later: count there.
            while (window is null || window.StartMs < startMs)
            {
                var fresh = new Window(period, startMs);
                var seen = Interlocked.CompareExchange(ref slot, fresh, window);
                window = ReferenceEquals(seen, window) ? fresh : seen;
            }
            return window;
        }
    }

    private sealed class Window(RatePeriod period, long startMs)
    {
        private long _count;

        public long StartMs { get; } = startMs;

        public long EndMs { get; } =
            RatePeriods.End(period, DateTimeOffset.FromUnixTimeMilliseconds(startMs)).ToUnixTimeMilliseconds();

        public long Value => Volatile.Read(ref _count);

        /// <summary>Adds one unless that passes <paramref name="limit"/>; <paramref name="count"/> is the count after, or as found.</summary>
        public bool TryTake(long limit, out long count)
        {
            var current = Volatile.Read(ref _count);
            while (current < limit)
            {
                var seen = Interlocked.CompareExchange(ref _count, current + 1, current);
                if (seen == current)
                {
                    count = current + 1;
                    return true;
                }
                current = seen;
            }
            count = current;
            return false;
        }

        public long GiveBack() => Interlocked.Decrement(ref _count);
    }
}
