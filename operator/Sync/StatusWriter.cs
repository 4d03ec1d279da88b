using Gateway.Operator.Builders;
using Gateway.Operator.Entities;
using Gateway.Operator.GatewayApi;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Runtime;

namespace Gateway.Operator.Sync;

/// <summary>
/// Writes back what became of every source object after a sync: the <c>Programmed</c> condition of plugin and
/// consumer resources, Warning Events on Ingresses and Services (once per distinct problem), and each Ingress's
/// <c>status.loadBalancer</c>. Only what differs from the object as cached is written, so an unchanged sync writes
/// nothing.
/// </summary>
[EntityRbac(typeof(TollgatePlugin), typeof(TollgateClusterPlugin), typeof(TollgateConsumer), typeof(V1Ingress),
    typeof(GatewayClass), typeof(KubernetesGateway), typeof(HttpRoute), Subresource = "status", Verbs = RbacVerb.Update)]
public sealed class StatusWriter(IKubernetesClient client, EventRecorder events, TimeProvider clock)
{
    readonly Dictionary<(string, string, string), string> warned = [];
    readonly SemaphoreSlim writers = new(8);
    int conflicts;

    /// <summary>Whether a status write met a newer object since the last call: the sync must go again to write it.</summary>
    public bool TakeConflicts() => Interlocked.Exchange(ref conflicts, 0) > 0;

    public async Task WriteAsync(ClusterState cluster, IReadOnlyList<ApiGateway> gateways,
        Dictionary<(string Kind, string Namespace, string Name), SyncVerdict> verdicts, List<GatewayResults> outcomes, CancellationToken cancel)
    {
        var now = Now();
        var writes = new List<Task>();
        var noGateway = new SyncVerdict(false, SyncVerdict.NoGatewayReason, "no ApiGateway serves the IngressClass this object names");
        foreach (var plugin in cluster.Plugins)
            writes.Add(ProgrammedAsync(plugin, verdicts.GetValueOrDefault(("TollgatePlugin", plugin.Metadata.NamespaceProperty ?? "", plugin.Metadata.Name)) ?? noGateway, now, cancel));
        foreach (var plugin in cluster.ClusterPlugins)
            writes.Add(ProgrammedAsync(plugin, verdicts.GetValueOrDefault(("TollgateClusterPlugin", "", plugin.Metadata.Name)) ?? noGateway, now, cancel));
        foreach (var consumer in cluster.Consumers)
            writes.Add(ProgrammedAsync(consumer, verdicts.GetValueOrDefault(("TollgateConsumer", consumer.Metadata.NamespaceProperty ?? "", consumer.Metadata.Name)) ?? noGateway, now, cancel));

        // Where each Ingress is reached: the proxy Service of the gateway serving it (the first, should two serve it).
        var addresses = new Dictionary<(string, string, string), IReadOnlyList<V1IngressLoadBalancerIngress>>();
        for (var i = 0; i < outcomes.Count; i++)
        {
            var wanted = ProxyAddresses(gateways[i], cluster);
            foreach (var result in outcomes[i].Results)
                addresses.TryAdd((result.Source.Kind, result.Source.Namespace, result.Source.Name), wanted);
        }
        foreach (var ingress in cluster.Ingresses)
        {
            var key = ("Ingress", ingress.Metadata.NamespaceProperty ?? "default", ingress.Metadata.Name);
            if (!verdicts.TryGetValue(key, out var verdict))
                continue;
            writes.Add(WarnAsync(ingress, key, verdict, cancel));
            if (addresses.TryGetValue(key, out var wanted))
                writes.Add(LoadBalancerAsync(ingress, wanted, cancel));
        }
        foreach (var service in cluster.Services)
        {
            var key = ("Service", service.Metadata.NamespaceProperty ?? "default", service.Metadata.Name);
            if (verdicts.TryGetValue(key, out var verdict))
                writes.Add(WarnAsync(service, key, verdict, cancel));
        }
        await Task.WhenAll(writes);
    }

    Task ProgrammedAsync<T>(T resource, SyncVerdict verdict, DateTimeOffset now, CancellationToken cancel)
        where T : class, IKubernetesObject<V1ObjectMeta>, IStatusObject<ProgrammedStatus> =>
        WriteStatusAsync(resource, ProgrammedCondition.Build(resource.Metadata.Generation, verdict, resource.Status, now), cancel);

    // Ingresses and Services are not ours to add conditions to: what is wrong with them is a Warning Event, once per message.
    async Task WarnAsync<T>(T obj, (string, string, string) key, SyncVerdict verdict, CancellationToken cancel) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (warned)
        {
            if (verdict.Programmed)
            {
                warned.Remove(key);
                return;
            }
            if (warned.TryGetValue(key, out var said) && said == verdict.Message)
                return;
            warned[key] = verdict.Message;
        }
        var copy = ObjectJson.Clone(obj);
        EntityInfo.WithTypeMeta(copy);
        await events.RecordAsync(copy, EventType.Warning, verdict.Reason, verdict.Message, cancel);
    }

    // An Ingress's status shows where clients reach it: the addresses of its gateway's proxy Service.
    async Task LoadBalancerAsync(V1Ingress ingress, IReadOnlyList<V1IngressLoadBalancerIngress> wanted, CancellationToken cancel)
    {
        if (IngressAddresses.Same(ingress.Status?.LoadBalancer?.Ingress, wanted))
            return;
        await PutStatusAsync(ingress, copy => copy.Status = new V1IngressStatus { LoadBalancer = new V1IngressLoadBalancerStatus { Ingress = [.. wanted] } }, cancel);
    }

    /// <summary>Where clients reach a gateway: the addresses of its proxy Service.</summary>
    public static IReadOnlyList<V1IngressLoadBalancerIngress> ProxyAddresses(ApiGateway gw, ClusterState cluster) =>
        IngressAddresses.Of(cluster.Services.FirstOrDefault(s => s.Metadata.NamespaceProperty == gw.Metadata.NamespaceProperty && s.Metadata.Name == GatewayNames.Proxy(gw)));

    /// <summary>
    /// The status of our GatewayClasses, of the Gateways of those classes (served or saying why not) and of the
    /// HTTPRoutes attached to them, written where it differs from what is cached.
    /// </summary>
    public async Task WriteGatewayApiAsync(ClusterState cluster, IReadOnlyList<ApiGateway> apiGateways, IReadOnlyList<ServedGateways> served, CancellationToken cancel)
    {
        var now = Now();
        var writes = new List<Task>();
        foreach (var gatewayClass in cluster.GatewayClasses.Where(c => c.Spec.ControllerName == GatewayBinding.ControllerName))
            writes.Add(WriteStatusAsync(gatewayClass, GatewayApiStatus.ForClass(gatewayClass, apiGateways, now), cancel));

        foreach (var gateway in cluster.Gateways)
        {
            if (GatewayBinding.OurClass(gateway, cluster.GatewayClasses) is not { } ourClass)
                continue;
            var servedBy = served.FirstOrDefault(s => s.Gateways.Any(g => g.Metadata.NamespaceProperty == gateway.Metadata.NamespaceProperty && g.Metadata.Name == gateway.Metadata.Name));
            var status = servedBy is not null
                ? GatewayApiStatus.ForGateway(gateway, servedBy, now)
                : GatewayBinding.Named(gateway, ourClass) is { } named
                    ? GatewayApiStatus.Unserved(gateway, "InvalidParameters", $"ApiGateway {named.Namespace}/{named.Name} does not exist", now)
                    : apiGateways.FirstOrDefault(g => g.Metadata.NamespaceProperty == gateway.Metadata.NamespaceProperty && g.Metadata.Name == gateway.Metadata.Name) is { } taken
                      && !GatewayApiGatewayBuilder.BelongsTo(taken, gateway)
                        ? GatewayApiStatus.Unserved(gateway, "InvalidParameters",
                            $"ApiGateway {taken.Metadata.NamespaceProperty}/{taken.Metadata.Name} exists and was not made for this Gateway: name it with spec.infrastructure.parametersRef, or rename one of them", now)
                        : GatewayApiStatus.Unserved(gateway, "Pending", $"the operator is making ApiGateway {gateway.Metadata.NamespaceProperty}/{gateway.Metadata.Name} for this Gateway", now);
            writes.Add(WriteStatusAsync(gateway, status, cancel));
        }

        // The result of a route as the whole plan found it (an ExtensionRef's plugin that cannot be built included).
        var merged = served.SelectMany(s => s.Results).Where(r => r.Source.Kind == "HTTPRoute").GroupBy(r => $"{r.Source.Namespace}/{r.Source.Name}")
            .ToDictionary(g => g.Key, g => g.Aggregate((all, next) => all with { Problems = [.. all.Problems, .. next.Problems.Where(p => !all.Problems.Contains(p))] }));
        // A route attached to Gateways of two ApiGateways has an outcome from each.
        var outcomes = served.SelectMany(s => s.Routes).GroupBy(o => ObjectKeyOf(o.Route)).ToDictionary(g => g.Key, g => g.Skip(1).Aggregate(g.First(),
            (all, next) => all with
            {
                Parents = [.. all.Parents, .. next.Parents.Where(p => p.Gateway is not null)],
                Result = all.Result with { Problems = [.. all.Result.Problems, .. next.Result.Problems] },
            }));
        foreach (var route in cluster.HttpRoutes)
        {
            var outcome = outcomes.GetValueOrDefault(ObjectKeyOf(route));
            if (outcome is not null && merged.TryGetValue(ObjectKeyOf(route), out var result))
                outcome = outcome with { Result = result };
            var ours = route.Status?.Parents.Any(p => p.ControllerName == GatewayBinding.ControllerName) == true;
            if (outcome is null && !ours)
                continue;
            writes.Add(WriteStatusAsync(route, GatewayApiStatus.ForRoute(route, outcome, now), cancel));
        }
        await Task.WhenAll(writes);
    }

    static string ObjectKeyOf(HttpRoute route) => $"{route.Metadata.NamespaceProperty}/{route.Metadata.Name}";

    DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    // Writes a status through the status subresource unless the cached object already has it.
    async Task WriteStatusAsync<T, TStatus>(T obj, TStatus status, CancellationToken cancel)
        where T : class, IKubernetesObject<V1ObjectMeta>, IStatusObject<TStatus> where TStatus : class
    {
        if (obj.Status is not null && ObjectJson.Serialize(obj.Status) == ObjectJson.Serialize(status))
            return;
        await PutStatusAsync(obj, copy => copy.Status = status, cancel);
    }

    // A copy of the cached object with its new status, through the status subresource; a few at a time, so that a
    // thousand new statuses neither wait one after another nor flood the API server.
    async Task PutStatusAsync<T>(T obj, Action<T> setStatus, CancellationToken cancel) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var copy = ObjectJson.Clone(obj);
        EntityInfo.WithTypeMeta(copy);
        setStatus(copy);
        await writers.WaitAsync(cancel);
        try
        {
            await client.UpdateStatusAsync(copy, cancel);
        }
        catch (KubernetesConflictException)
        {
            // The cached object was behind (often our own last status write not yet seen): the sync goes again soon,
            // since a change of status alone queues none.
            Interlocked.Increment(ref conflicts);
        }
        catch (KubernetesNotFoundException)
        {
            // The object went away meanwhile: its deletion queues another sync.
        }
        finally
        {
            writers.Release();
        }
    }

    /// <summary>Forgets the Events said about objects no gateway serves any more.</summary>
    public void Forget(Dictionary<(string Kind, string Namespace, string Name), SyncVerdict> verdicts)
    {
        lock (warned)
        {
            foreach (var gone in warned.Keys.Where(k => !verdicts.ContainsKey(k)).ToList())
                warned.Remove(gone);
        }
    }
}
