using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Gateway.Proxy.RateLimits;

/// <summary>
/// Exact counters in this process. A request takes one unit from each of its windows with a compare-and-swap that
/// never goes past the limit, and gives back what it took when a later window is full, so no window ever admits
/// more than its limit and no lock is taken. A new window simply replaces the old counter; identities whose windows
/// have all ended are swept away in the background.
/// </summary>
public sealed class LocalCounters : IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<CounterKey, Entry> _entries = new();
    private readonly ITimer _sweeper;

    public LocalCounters(TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        _sweeper = clock.CreateTimer(_ => Sweep(clock.GetUtcNow()), null, SweepInterval, SweepInterval);
    }

    /// <summary>How many identities have counters.</summary>
    public int EntryCount => _entries.Count;

    public CountResult Count(CounterScope scope, CounterIdentity identity, WindowLimits limits, DateTimeOffset now)
    {
        var key = new CounterKey(scope.Route, scope.Service, identity.Id, identity.Text);
        while (true)
        {
            var entry = _entries.GetOrAdd(key, static _ => new Entry());
            var taken = new TakenWindows();
            var result = entry.Take(limits, now, ref taken);
            if (!entry.IsRetired) return result;
            // The sweeper retired this entry as unused while we counted in it: count again in its successor.
            if (result.Verdict == CountVerdict.Allowed) taken.GiveBack(limits.Count);
        }
    }

    /// <summary>Removes the counters of identities whose windows have all ended.</summary>
    public void Sweep(DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        foreach (var (key, entry) in _entries)
        {
            if (entry.TryRetire(nowMs)) _entries.TryRemove(new KeyValuePair<CounterKey, Entry>(key, entry));
        }
    }

    public void Dispose() => _sweeper.Dispose();

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

        public bool IsRetired => Volatile.Read(ref _retired) == 1;

        public CountResult Take(WindowLimits limits, DateTimeOffset now, ref TakenWindows taken)
        {
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
