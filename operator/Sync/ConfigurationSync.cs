using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gateway.Operator.Builders;
using Gateway.Operator.Entities;
using Gateway.Operator.GatewayApi;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Runtime;
using Gateway.Operator.Translation;
using Microsoft.Extensions.Logging;

namespace Gateway.Operator.Sync;

/// <summary>
/// Keeps every gateway's proxies serving what the cluster declares. Any change to a watched object queues one sync
/// (changes that arrive during a sync are folded into the next): each gateway's plan is translated from the caches,
/// posted to one ready proxy as a scoped replace, and what became of every source object is written back as status
/// and Events (<see cref="StatusWriter"/>). A document the proxy refuses is posted again without the objects it named, so one bad object never
/// holds back the others.
/// </summary>
[EntityRbac(typeof(TollgatePlugin), typeof(TollgateClusterPlugin), typeof(TollgateConsumer), typeof(V1Ingress), typeof(V1EndpointSlice),
    typeof(GatewayClass), typeof(KubernetesGateway), typeof(HttpRoute), typeof(ReferenceGrant), typeof(V1Namespace), Verbs = RbacVerb.Informer)]
public sealed class ConfigurationSync
{
    const string Key = "configuration";

    /// <summary>How long an applied document is trusted before it is posted again (with check_hash, so unchanged costs no write).</summary>
    public static readonly TimeSpan Resync = SecretCache.Refresh;

    /// <summary>How often a refused document is pruned and posted again before the sync gives up.</summary>
    const int MaxRefusals = 5;

    readonly IKubernetesClient client;
    readonly InformerSet informers;
    readonly AdminApiClient admin;
    readonly StatusWriter status;
    readonly TimeProvider clock;
    readonly ILogger logger;
    readonly SecretCache secretCache;
    readonly SpecChanges specChanges = new();
    readonly Dictionary<string, (string Hash, DateTimeOffset At)> applied = [];
    readonly Dictionary<string, SyncSummary> summaries = [];
    readonly object gate = new();

    public ConfigurationSync(IKubernetesClient client, InformerSet informers, AdminApiClient admin, EventRecorder events, TimeProvider clock, ILogger logger)
    {
        this.client = client;
        this.informers = informers;
        this.admin = admin;
        status = new StatusWriter(client, events, clock);
        this.clock = clock;
        this.logger = logger;
        secretCache = new SecretCache(client, clock);
        // Kinds whose status the sync itself writes: only changes to what a translation reads of them count.
        OnSpecChange<ApiGateway>();
        OnSpecChange<V1Ingress>();
        OnSpecChange<TollgatePlugin>();
        OnSpecChange<TollgateClusterPlugin>();
        OnSpecChange<TollgateConsumer>();
        OnSpecChange<GatewayClass>();
        OnSpecChange<KubernetesGateway>();
        OnSpecChange<HttpRoute>();
        // A Service's status counts (its load balancer's addresses are the Ingresses' addresses).
        OnChange<V1IngressClass>();
        OnChange<V1Service>();
        OnChange<V1EndpointSlice>();
        OnChange<ReferenceGrant>();
        OnChange<V1Namespace>();
    }

    public WorkQueue Queue { get; } = new();

    /// <summary>Syncs completed so far (tests wait on it).</summary>
    public int Completed => Volatile.Read(ref completed);
    int completed;

    /// <summary>A gateway's sync summary changed; its controller writes it into the gateway's status.</summary>
    public event Action<string>? SummaryChanged;

    /// <summary>The last sync's summary for a gateway (namespace/name), or null before its first sync.</summary>
    public SyncSummary? Summary(string gatewayKey)
    {
        lock (gate)
            return summaries.GetValueOrDefault(gatewayKey);
    }

    public async Task RunAsync(CancellationToken cancel)
    {
        Queue.Add(Key);
        while (true)
        {
            try
            {
                await Queue.TakeAsync(cancel);
            }
            catch (Exception stop) when (stop is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
            {
                return;
            }
            try
            {
                var retry = await SyncAsync(CancellationToken.None);
                ReturnMemoryWhenIdle();
                if (retry)
                    Queue.AddRateLimited(Key);
                else
                {
                    Queue.Forget(Key);
                    // Secrets are not watched: one that is named but missing is looked for again soon.
                    Queue.AddAfter(Key, secretCache.AnyMissing ? SecretCache.MissingRecheck : Resync);
                }
            }
            catch (Exception error)
            {
                var delay = Queue.AddRateLimited(Key);
                logger.LogError("configuration sync failed, retrying in {Delay}: {Error}", delay, error.Message);
            }
            finally
            {
                Queue.Done(Key);
                Interlocked.Increment(ref completed);
            }
        }
    }

    /// <summary>Documents from this size up are large enough for their sync to give memory back afterwards.</summary>
    const int LargeDocument = 1 << 20;

    int largestDocument;

    /// <summary>
    /// A sync of a large cluster allocates tens of megabytes for a moment (the documents, the proxy's answers), which
    /// the GC otherwise keeps mapped for the next one. When such a sync leaves nothing queued, a compacting collection
    /// gives it back: a mostly idle operator should not hold the peak of its busiest moment. Within a burst of changes
    /// the queue is not empty, so the burst pays for no collection.
    /// </summary>
    void ReturnMemoryWhenIdle()
    {
        lock (gate)
        {
            if (Queue.Length > 0 || largestDocument < LargeDocument)
                return;
            largestDocument = 0;
        }
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>One sync of every gateway; true when something must be tried again soon (a proxy not reached, a status not written).</summary>
    public async Task<bool> SyncAsync(CancellationToken cancel)
    {
        var gateways = informers.Of<ApiGateway>().Shared()
            .Where(g => g.Metadata.DeletionTimestamp is null)
            .OrderBy(g => ObjectKey.Of(g), StringComparer.Ordinal)
            .ToList();
        var cluster = Snapshot();
        cluster = cluster with { Secrets = await secretCache.ReadAsync(SecretReferences.Of(cluster, gateways), cancel) };
        var outcomes = new List<GatewayResults>();
        var retry = false;
        var served = new List<ServedGateways>();
        var syncs = gateways.Select(gw => SyncGatewayAsync(gw, cluster, cancel)).ToList();
        foreach (var (gw, sync) in gateways.Zip(syncs))
        {
            var (plan, results, notApplied, summary) = await sync;
            retry |= notApplied is not null;
            outcomes.Add(new GatewayResults(ObjectKey.Of(gw), results, notApplied));
            served.Add(new ServedGateways(gw, plan.Gateways, plan.HttpRoutes, notApplied, StatusWriter.ProxyAddresses(gw, cluster))
            {
                Results = results,
                Secrets = cluster.Secrets,
                Grants = cluster.ReferenceGrants,
            });
            Publish(ObjectKey.Of(gw), summary);
        }
        var verdicts = SyncVerdicts.Combine(outcomes);
        Forget(gateways.Select(g => ObjectKey.Of(g)).ToHashSet());
        status.Forget(verdicts);
        await status.WriteAsync(cluster, gateways, verdicts, outcomes, cancel);
        await status.WriteGatewayApiAsync(cluster, gateways, served, cancel);
        return status.TakeConflicts() | retry;
    }

    // What is kept about gateways that are gone.
    void Forget(HashSet<string> gatewayKeys)
    {
        lock (gate)
        {
            foreach (var gone in applied.Keys.Where(k => !gatewayKeys.Contains(k)).ToList())
                applied.Remove(gone);
            foreach (var gone in summaries.Keys.Where(k => !gatewayKeys.Contains(k)).ToList())
                summaries.Remove(gone);
        }
    }

    async Task<(GatewayPlan Plan, IReadOnlyList<SourceResult> Results, string? NotApplied, SyncSummary Summary)> SyncGatewayAsync(
        ApiGateway gw, ClusterState cluster, CancellationToken cancel)
    {
        var key = ObjectKey.Of(gw);
        var plan = GatewayPlan.For(gw, cluster);
        var proxies = AdminEndpoints.Ready(gw, cluster.EndpointSlices);
        var results = plan.Results.ToList();
        SyncSummary Summarize(string? notApplied, DateTimeOffset? at) => SyncSummary.Of(results, notApplied, at ?? Summary(key)?.LastSyncTime);
        if (proxies.Count == 0)
            return (plan, results, $"ApiGateway {key} has no ready proxy yet", Summarize("no ready proxy yet", null));

        var body = JsonSerializer.SerializeToUtf8Bytes(plan.Document);
        lock (gate)
            largestDocument = Math.Max(largestDocument, body.Length);
        var hash = Fingerprint(body, plan.Results);
        lock (gate)
        {
            if (applied.TryGetValue(key, out var last) && last.Hash == hash && clock.GetUtcNow() - last.At < Resync && Summary(key) is { } known)
                return (plan, known.Results, null, known);
        }

        var token = AdminToken(gw, cluster.Secrets);
        var refused = new Dictionary<(string Kind, string Namespace, string Name), Problem>();
        for (var attempt = 0; ; attempt++)
        {
            var outcome = await PostAsync(proxies, token, body, cancel);
            results = [.. plan.Results];
            switch (outcome)
            {
                case ApplyOutcome.Applied done:
                    if (done.Changed)
                        logger.LogInformation("ApiGateway {Gateway}: configuration applied ({Created} created, {Updated} updated, {Deleted} deleted)",
                            key, done.Created, done.Updated, done.Deleted);
                    lock (gate)
                        applied[key] = (hash, clock.GetUtcNow());
                    var at = done.Changed || Summary(key) is null ? clock.GetUtcNow() : (DateTimeOffset?)null;
                    return (plan, results, null, Summarize(null, at));
                case ApplyOutcome.Refused no when attempt < MaxRefusals:
                    // Posted again without what the proxy named: one bad object never holds back the others.
                    var fresh = FlattenedErrors.BySource(no.Errors).Where(e => !refused.ContainsKey(e.Key)).ToList();
                    if (fresh.Count == 0)
                        return (plan, results, $"the proxy refused the configuration: {Shorten(no.Errors.ToJsonString())}", Summarize("the proxy refused the configuration", null));
                    foreach (var (source, messages) in fresh)
                        refused[source] = GatewayPlan.Refusal(source.Kind, messages);
                    plan = GatewayPlan.For(gw, cluster, refused);
                    body = JsonSerializer.SerializeToUtf8Bytes(plan.Document);
                    break;
                case ApplyOutcome.Refused:
                    return (plan, results, "the proxy kept refusing the configuration", Summarize("the proxy kept refusing the configuration", null));
                case ApplyOutcome.Failed failed:
                    logger.LogWarning("ApiGateway {Gateway}: configuration not applied: {Error}", key, failed.Message);
                    return (plan, results, failed.Message, Summarize(failed.Message, null));
            }
        }
    }

    async Task<ApplyOutcome> PostAsync(IReadOnlyList<Uri> proxies, string? token, byte[] document, CancellationToken cancel)
    {
        ApplyOutcome outcome = new ApplyOutcome.Failed("no proxy");
        foreach (var proxy in proxies)
        {
            outcome = await admin.ApplyAsync(proxy, token, document, cancel);
            if (outcome is not ApplyOutcome.Failed)
                return outcome;
        }
        return outcome;
    }

    ClusterState Snapshot() => new()
    {
        IngressClasses = informers.Of<V1IngressClass>().Shared(),
        Ingresses = informers.Of<V1Ingress>().Shared(),
        Services = informers.Of<V1Service>().Shared(),
        EndpointSlices = informers.Of<V1EndpointSlice>().Shared(),
        Plugins = informers.Of<TollgatePlugin>().Shared(),
        ClusterPlugins = informers.Of<TollgateClusterPlugin>().Shared(),
        Consumers = informers.Of<TollgateConsumer>().Shared(),
        GatewayClasses = informers.Of<GatewayClass>().Shared(),
        Gateways = informers.Of<KubernetesGateway>().Shared(),
        HttpRoutes = informers.Of<HttpRoute>().Shared(),
        ReferenceGrants = informers.Of<ReferenceGrant>().Shared(),
        Namespaces = informers.Of<V1Namespace>().Shared(),
    };

    static string? AdminToken(ApiGateway gw, IReadOnlyList<V1Secret> secrets)
    {
        var name = gw.Spec.AdminTokenSecretRef?.Name ?? GatewayNames.AdminToken(gw);
        var key = gw.Spec.AdminTokenSecretRef?.Key ?? "token";
        var secret = secrets.FirstOrDefault(s => s.Metadata.NamespaceProperty == gw.Metadata.NamespaceProperty && s.Metadata.Name == name);
        return secret?.Data?.TryGetValue(key, out var bytes) == true ? Encoding.UTF8.GetString(bytes).Trim() : null;
    }

    void Publish(string gatewayKey, SyncSummary summary)
    {
        lock (gate)
        {
            if (summaries.TryGetValue(gatewayKey, out var known) && known.SameAs(summary))
            {
                summaries[gatewayKey] = summary;
                return;
            }
            summaries[gatewayKey] = summary;
        }
        SummaryChanged?.Invoke(gatewayKey);
    }

    /// <summary>
    /// What a gateway's last outcome may be reused for: its document, and what the translation found about each object.
    /// An object left out of the document can be left out for a new reason (a consumer's credential Secret went from
    /// missing to malformed) or at a new generation while the document stays the same.
    /// </summary>
    static string Fingerprint(byte[] body, IEnumerable<SourceResult> results)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(body);
        foreach (var result in results)
        {
            var source = result.Source;
            sha.AppendData(Encoding.UTF8.GetBytes($"\n{source.Kind}/{source.Namespace}/{source.Name}@{source.Generation}"));
            foreach (var problem in result.Problems)
                sha.AppendData(Encoding.UTF8.GetBytes($"\n{problem.Field}\t{problem.Reason}\t{problem.Message}"));
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    void OnChange<T>() where T : class, IKubernetesObject<V1ObjectMeta> =>
        informers.Of<T>().Changed += (_, _) => Queue.Add(Key);

    void OnSpecChange<T>() where T : class, IKubernetesObject<V1ObjectMeta> =>
        informers.Of<T>().Changed += (type, obj) =>
        {
            if (specChanges.Matters(typeof(T).Name, type, obj))
                Queue.Add(Key);
        };
}
