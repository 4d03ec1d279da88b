using System.Collections.Concurrent;
using Gateway.Operator.Kubernetes;
using Microsoft.Extensions.Logging;

namespace Gateway.Operator.Runtime;

/// <summary>Something that lists, watches and caches one kind.</summary>
public interface IInformer
{
    Type ObjectType { get; }
    bool IsSynced { get; }

    /// <summary>Completes once the first list is in the cache.</summary>
    Task Synced { get; }

    Task RunAsync(CancellationToken cancel);
}

/// <summary>
/// A list+watch cache of one kind (optionally only objects matching a label selector). It resumes a
/// watch from the last resourceVersion it saw (bookmarks included), and lists again when the server
/// answers 410 Gone, announcing the differences as events so nothing is missed.
/// </summary>
public sealed class Informer<T>(IKubernetesClient client, string? labelSelector, ILogger logger) : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    readonly ConcurrentDictionary<string, T> items = new();
    readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Type ObjectType => typeof(T);
    public bool IsSynced => synced.Task.IsCompleted;
    public Task Synced => synced.Task;

    /// <summary>Called for every change after it is in the cache. Handlers must be quick (enqueue a key).</summary>
    public event Action<WatchEventType, T>? Changed;

    /// <summary>How long to wait before listing again after an error (doubles up to 30 s).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// For a kind whose CRD may not be installed (the Gateway API's): while the server does not know the kind, the
    /// cache counts as synced and empty, so nothing else waits for it, and the kind is looked for again every
    /// <see cref="AbsentRecheck"/>, so installing the CRDs later needs no restart.
    /// </summary>
    public bool Optional { get; init; }

    public TimeSpan AbsentRecheck { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>True while an optional kind is not served by the API server.</summary>
    public bool IsAbsent => Volatile.Read(ref absent);
    bool absent;

    /// <summary>A copy of the cached object, or null.</summary>
    public T? Get(string? ns, string name) =>
        items.TryGetValue(ObjectKey.Of(ns, name), out var item) ? ObjectJson.Clone(item) : null;

    /// <summary>
    /// The cached objects themselves, without copying: for readers that only read (a translation of thousands of
    /// objects), never to be changed.
    /// </summary>
    public IReadOnlyList<T> Shared() => [.. items.Values];

    public IReadOnlyList<T> List(string? ns = null) =>
        items.Values.Where(i => ns is null || i.Metadata.NamespaceProperty == ns).Select(ObjectJson.Clone).ToList();

    public async Task RunAsync(CancellationToken cancel)
    {
        var delay = RetryDelay;
        var seenSinceList = true;
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                var version = await ListAsync(cancel);
                if (Volatile.Read(ref absent))
                    logger.LogInformation("{Kind}: the API server serves this kind now", typeof(T).Name);
                Volatile.Write(ref absent, false);
                synced.TrySetResult();
                seenSinceList = false;
                // A watch the server ends (timeout) resumes where it stopped; only 410 forces a new list. A watch that
                // ends without a single event or bookmark is resumed after a pause, so a server (or a proxy in front of
                // it) that closes watches at once is not asked again in a tight loop.
                while (!cancel.IsCancellationRequested)
                {
                    var next = await WatchAsync(version, cancel);
                    if (next.Seen)
                    {
                        seenSinceList = true;
                        delay = RetryDelay;
                    }
                    else
                    {
                        await Pause.ForAsync(delay, cancel);
                        delay = Longer(delay);
                    }
                    version = next.Version;
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesNotFoundException) when (Optional)
            {
                if (!absent)
                    logger.LogWarning("{Kind}: the API server does not serve this kind (its CRD is not installed); looking again every {Delay}",
                        typeof(T).Name, AbsentRecheck);
                Volatile.Write(ref absent, true);
                synced.TrySetResult();
                await Pause.ForAsync(AbsentRecheck, cancel);
            }
            catch (KubernetesGoneException)
            {
                // Listing again is the cure; a watch that is gone again before it saw anything gets a pause first.
                logger.LogDebug("{Kind} watch expired; listing again", typeof(T).Name);
                if (!seenSinceList)
                {
                    await Pause.ForAsync(delay, cancel);
                    delay = Longer(delay);
                }
            }
            catch (Exception error) when (error is KubernetesApiException or HttpRequestException or IOException or System.Text.Json.JsonException)
            {
                logger.LogWarning("{Kind} list/watch failed, retrying in {Delay}: {Error}", typeof(T).Name, delay, error.Message);
                await Pause.ForAsync(delay, cancel);
                delay = Longer(delay);
            }
        }
    }

    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>
    /// The object without what the operator never reads and a cache of thousands of objects would hold many times
    /// over: the field managers' records and kubectl's copy of the last applied manifest. Cached objects are never
    /// written back whole (children are applied from their desired state, status goes to the status subresource).
    /// </summary>
    static T Trimmed(T item)
    {
        item.Metadata.ManagedFields = null;
        item.Metadata.Annotations?.Remove(LastAppliedAnnotation);
        return item;
    }

    static TimeSpan Longer(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));


    async Task<string> ListAsync(CancellationToken cancel)
    {
        var list = await client.ListAsync<T>(null, labelSelector, cancel);
        var fresh = list.Items.Select(Trimmed).ToDictionary(ObjectKey.Of);
        foreach (var (key, old) in items)
        {
            if (!fresh.ContainsKey(key) && items.TryRemove(key, out _))
                Changed?.Invoke(WatchEventType.Deleted, old);
        }
        foreach (var (key, item) in fresh)
        {
            var known = items.TryGetValue(key, out var old);
            items[key] = item;
            if (!known)
                Changed?.Invoke(WatchEventType.Added, item);
            else if (old!.Metadata.ResourceVersion != item.Metadata.ResourceVersion)
                Changed?.Invoke(WatchEventType.Modified, item);
        }
        return list.Metadata.ResourceVersion ?? "";
    }

    async Task<(string Version, bool Seen)> WatchAsync(string version, CancellationToken cancel)
    {
        var seen = false;
        await foreach (var change in client.WatchAsync<T>(null, labelSelector, version, cancel))
        {
            seen = true;
            version = change.Object.Metadata.ResourceVersion ?? version;
            if (change.Type == WatchEventType.Bookmark)
                continue;
            var item = Trimmed(change.Object);
            var key = ObjectKey.Of(item);
            if (change.Type == WatchEventType.Deleted)
                items.TryRemove(key, out _);
            else
                items[key] = item;
            Changed?.Invoke(change.Type, item);
        }
        return (version, seen);
    }
}
