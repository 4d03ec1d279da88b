using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Gateway.Operator.Kubernetes;
using Microsoft.Extensions.Logging;

namespace Gateway.Operator.Runtime;

/// <summary>
/// Runs one <see cref="IEntityController{TEntity}"/>: every change to an entity, or to an object it owns
/// (through its controller owner reference), queues the entity's key; workers reconcile keys one at a
/// time each, add and run finalizers, and requeue failures with backoff.
/// </summary>
public sealed class EntityControllerHost<TEntity> where TEntity : class, IKubernetesObject<V1ObjectMeta>
{
    readonly IKubernetesClient client;
    readonly IEntityController<TEntity> controller;
    readonly Informer<TEntity> entities;
    readonly ILogger logger;
    readonly List<(string Name, IEntityFinalizer<TEntity> Finalizer)> finalizers = [];
    readonly List<string> retiredFinalizers = [];
    readonly ConcurrentDictionary<string, TEntity> deleted = new();
    readonly EntityInfo entity = EntityInfo.Of<TEntity>();
    int inFlight;

    public EntityControllerHost(IKubernetesClient client, IEntityController<TEntity> controller, Informer<TEntity> entities, ILogger logger)
    {
        this.client = client;
        this.controller = controller;
        this.entities = entities;
        this.logger = logger;
        entities.Changed += (type, obj) =>
        {
            if (type == WatchEventType.Deleted)
                deleted[ObjectKey.Of(obj)] = obj;
            Queue.Add(ObjectKey.Of(obj));
        };
    }

    public WorkQueue Queue { get; } = new();

    /// <summary>How many keys are reconciled at once (never the same key twice).</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Reconciles currently running.</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    /// <summary>Keys processed so far (reconciled, finalized or found deleted).</summary>
    public int Processed => Volatile.Read(ref processed);
    int processed;

    public EntityControllerHost<TEntity> AddFinalizer(string name, IEntityFinalizer<TEntity> finalizer)
    {
        finalizers.Add((name, finalizer));
        return this;
    }

    /// <summary>
    /// A finalizer an earlier version of the operator added and this one no longer runs: it is removed from every
    /// entity, so that deleting an entity created by that version does not wait for it forever.
    /// </summary>
    public EntityControllerHost<TEntity> RetireFinalizer(string name)
    {
        retiredFinalizers.Add(name);
        return this;
    }

    /// <summary>Changes to <typeparamref name="TChild"/> objects reconcile the entity that controls them.</summary>
    public EntityControllerHost<TEntity> Owns<TChild>(Informer<TChild> children) where TChild : class, IKubernetesObject<V1ObjectMeta>
    {
        children.Changed += (_, child) =>
        {
            foreach (var owner in child.Metadata.OwnerReferences ?? [])
            {
                if (owner.Controller == true && owner.Kind == entity.Kind && owner.ApiVersion == entity.GroupVersion)
                    Queue.Add(ObjectKey.Of(child.Metadata.NamespaceProperty, owner.Name));
            }
        };
        return this;
    }

    /// <summary>
    /// Changes to cluster-scoped <typeparamref name="TChild"/> objects, which cannot carry an owner reference to a
    /// namespaced entity, reconcile the entity their labels name.
    /// </summary>
    public EntityControllerHost<TEntity> OwnsByLabels<TChild>(Informer<TChild> children, string namespaceLabel, string nameLabel)
        where TChild : class, IKubernetesObject<V1ObjectMeta>
    {
        children.Changed += (_, child) =>
        {
            if (child.Metadata.Labels is { } labels && labels.TryGetValue(namespaceLabel, out var ns) && labels.TryGetValue(nameLabel, out var name))
                Queue.Add(ObjectKey.Of(ns, name));
        };
        return this;
    }

    /// <summary>Runs workers until <paramref name="cancel"/>; then lets running reconciles finish.</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        foreach (var cached in entities.List())
            Queue.Add(ObjectKey.Of(cached));
        var workers = Enumerable.Range(0, Workers).Select(_ => WorkAsync(cancel)).ToList();
        await Task.WhenAll(workers);
    }

    async Task WorkAsync(CancellationToken cancel)
    {
        while (true)
        {
            string key;
            try
            {
                key = await Queue.TakeAsync(cancel);
            }
            catch (Exception stop) when (stop is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
            {
                return;
            }
            Interlocked.Increment(ref inFlight);
            try
            {
                // A reconcile that started finishes even during shutdown, so no write is cut in half.
                await ProcessAsync(key, CancellationToken.None);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
                Interlocked.Increment(ref processed);
                Queue.Done(key);
            }
        }
    }

    /// <summary>One reconcile of one key. Public so tests can drive the runtime step by step.</summary>
    public async Task ProcessAsync(string key, CancellationToken cancel)
    {
        var (ns, name) = ObjectKey.Split(key);
        try
        {
            var current = entities.Get(ns, name);
            if (current is null)
            {
                if (deleted.TryRemove(key, out var gone))
                {
                    // Kept for the retry until the deletion's work succeeded: the object is not listed any more.
                    ReconciliationResult<TEntity> result;
                    try
                    {
                        result = await controller.DeletedAsync(gone, cancel);
                    }
                    catch
                    {
                        deleted.TryAdd(key, gone);
                        throw;
                    }
                    if (result.IsFailure)
                        deleted.TryAdd(key, gone);
                    Settle(key, result);
                }
                return;
            }
            deleted.TryRemove(key, out _);
            if (current.Metadata.DeletionTimestamp is not null)
            {
                await FinalizeAsync(key, current, cancel);
                return;
            }
            current = await EnsureFinalizersAsync(current, cancel);
            Settle(key, await controller.ReconcileAsync(current, cancel));
        }
        catch (KubernetesConflictException conflict)
        {
            var delay = Queue.AddRateLimited(key);
            logger.LogDebug("{Key}: {Message}; retrying in {Delay}", key, conflict.Message, delay);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            var delay = Queue.AddRateLimited(key);
            logger.LogError("{Kind} {Key}: reconcile failed, retrying in {Delay}: {Error}", entity.Kind, key, delay, error.Message);
        }
    }

    void Settle(string key, ReconciliationResult<TEntity> result)
    {
        if (result.IsFailure)
        {
            var delay = result.RequeueAfter ?? Queue.AddRateLimited(key);
            if (result.RequeueAfter is { } after)
                Queue.AddAfter(key, after);
            logger.LogWarning("{Kind} {Key}: {Message}; retrying in {Delay}", entity.Kind, key, result.ErrorMessage, delay);
            return;
        }
        Queue.Forget(key);
        if (result.RequeueAfter is { } requeue)
            Queue.AddAfter(key, requeue);
    }

    async Task<TEntity> EnsureFinalizersAsync(TEntity current, CancellationToken cancel)
    {
        var present = current.Metadata.Finalizers ?? [];
        var missing = finalizers.Select(f => f.Name).Where(n => !present.Contains(n)).ToList();
        if (missing.Count == 0 && !present.Any(retiredFinalizers.Contains))
            return current;
        return await SetFinalizersAsync(current, [.. present.Where(n => !retiredFinalizers.Contains(n)), .. missing], cancel);
    }

    async Task FinalizeAsync(string key, TEntity current, CancellationToken cancel)
    {
        if (current.Metadata.Finalizers?.Any(retiredFinalizers.Contains) == true)
            current = await SetFinalizersAsync(current, current.Metadata.Finalizers.Where(n => !retiredFinalizers.Contains(n)).ToList(), cancel);
        foreach (var (name, finalizer) in finalizers)
        {
            if (current.Metadata.Finalizers?.Contains(name) != true)
                continue;
            var result = await finalizer.FinalizeAsync(current, cancel);
            if (result.IsFailure)
            {
                Settle(key, result);
                return;
            }
            current = await SetFinalizersAsync(current, current.Metadata.Finalizers.Where(f => f != name).ToList(), cancel);
            logger.LogInformation("{Kind} {Key}: finalizer {Finalizer} done", entity.Kind, key, name);
        }
        Queue.Forget(key);
    }

    // A merge patch that carries the resourceVersion it was computed from: a concurrent change is a conflict, not a lost update.
    async Task<TEntity> SetFinalizersAsync(TEntity current, List<string> names, CancellationToken cancel)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = current.Metadata.ResourceVersion,
                ["finalizers"] = new JsonArray(names.Select(n => (JsonNode)n).ToArray()),
            },
        };
        return await client.PatchAsync<TEntity>(current.Metadata.Name!, current.Metadata.NamespaceProperty, patch, cancel);
    }
}
