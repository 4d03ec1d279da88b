using System.Threading.Channels;

namespace Gateway.Operator.Runtime;

/// <summary>
/// Keys waiting to be reconciled. A key is queued at most once; a key being processed is never handed
/// to a second worker, and if it changes meanwhile it runs again once the first run is done. Failures
/// retry with per-key exponential backoff.
/// </summary>
public sealed class WorkQueue : IDisposable
{
    readonly object gate = new();
    readonly Channel<string> ready = Channel.CreateUnbounded<string>();
    readonly HashSet<string> queued = [];
    readonly HashSet<string> processing = [];
    readonly HashSet<string> dirty = [];
    readonly Dictionary<string, int> failures = [];
    readonly CancellationTokenSource shutdown = new();

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(50);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(2);

    public void Add(string key)
    {
        lock (gate)
        {
            if (shutdown.IsCancellationRequested)
                return;
            if (processing.Contains(key))
            {
                dirty.Add(key);
                return;
            }
            if (queued.Add(key))
                ready.Writer.TryWrite(key);
        }
    }

    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        _ = Task.Delay(delay, shutdown.Token).ContinueWith(_ => Add(key), TaskContinuationOptions.OnlyOnRanToCompletion);
    }

    /// <summary>Requeues after 50 ms, 100 ms, 200 ms … up to <see cref="MaxDelay"/> for repeated failures of the key.</summary>
    public TimeSpan AddRateLimited(string key)
    {
        TimeSpan delay;
        lock (gate)
        {
            var count = failures.GetValueOrDefault(key);
            failures[key] = count + 1;
            delay = TimeSpan.FromTicks((long)Math.Min(MaxDelay.Ticks, BaseDelay.Ticks * Math.Pow(2, Math.Min(count, 30))));
        }
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>The key succeeded: its next failure starts the backoff from the beginning.</summary>
    public void Forget(string key)
    {
        lock (gate)
            failures.Remove(key);
    }

    /// <summary>The next key to process; the caller must call <see cref="Done"/> with it.</summary>
    public async ValueTask<string> TakeAsync(CancellationToken cancel)
    {
        while (true)
        {
            var key = await ready.Reader.ReadAsync(cancel);
            lock (gate)
            {
                queued.Remove(key);
                if (processing.Add(key))
                    return key;
                dirty.Add(key);
            }
        }
    }

    public void Done(string key)
    {
        lock (gate)
        {
            processing.Remove(key);
            if (dirty.Remove(key) && queued.Add(key))
                ready.Writer.TryWrite(key);
        }
    }

    public int Length
    {
        get { lock (gate) return queued.Count; }
    }

    /// <summary>Stops accepting keys; delayed requeues are dropped.</summary>
    public void ShutDown()
    {
        lock (gate)
        {
            shutdown.Cancel();
            ready.Writer.TryComplete();
        }
    }

    public void Dispose()
    {
        ShutDown();
        shutdown.Dispose();
    }
}
