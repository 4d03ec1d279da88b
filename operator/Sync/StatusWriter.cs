using Gateway.Operator.Builders;
using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Runtime;

namespace Gateway.Operator.Sync;

/// <summary>
/// Writes back what became of every source object after a sync: the <c>Programmed</c> condition of plugin and
/// consumer resources, Warning Events on Ingresses and Services (once per distinct problem), and each Ingress's
/// <c>status.loadBalancer</c>. Only what differs from the object as cached is written, so an unchanged sync writes
/// nothing.
/// </summary>
[EntityRbac(typeof(TollgatePlugin), typeof(TollgateClusterPlugin), typeof(TollgateConsumer), typeof(V1Ingress), Subresource = "status", Verbs = RbacVerb.Update)]
public sealed class StatusWriter(IKubernetesClient client, EventRecorder events, TimeProvider clock)
{
    readonly Dictionary<(string, string, string), string> warned = [];

    public async Task WriteAsync(ClusterState cluster, IReadOnlyList<ApiGateway> gateways,
        Dictionary<(string Kind, string Namespace, string Name), SyncVerdict> verdicts, List<GatewayResults> outcomes, CancellationToken cancel)
    {
        var now = clock.GetUtcNow();
        now = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var noGateway = new SyncVerdict(false, SyncVerdict.NoGatewayReason, "no ApiGateway serves the IngressClass this object names");
        foreach (var plugin in cluster.Plugins)
            await ProgrammedAsync(plugin, verdicts.GetValueOrDefault(("TollgatePlugin", plugin.Metadata.NamespaceProperty ?? "", plugin.Metadata.Name)) ?? noGateway, now, cancel);
        foreach (var plugin in cluster.ClusterPlugins)
            await ProgrammedAsync(plugin, verdicts.GetValueOrDefault(("TollgateClusterPlugin", "", plugin.Metadata.Name)) ?? noGateway, now, cancel);
        foreach (var consumer in cluster.Consumers)
            await ProgrammedAsync(consumer, verdicts.GetValueOrDefault(("TollgateConsumer", consumer.Metadata.NamespaceProperty ?? "", consumer.Metadata.Name)) ?? noGateway, now, cancel);

        // Where each Ingress is reached: the proxy Service of the gateway serving it (the first, should two serve it).
        var addresses = new Dictionary<(string, string, string), IReadOnlyList<V1IngressLoadBalancerIngress>>();
        for (var i = 0; i < outcomes.Count; i++)
        {
            var gw = gateways[i];
            var proxy = cluster.Services.FirstOrDefault(s => s.Metadata.NamespaceProperty == gw.Metadata.NamespaceProperty && s.Metadata.Name == GatewayNames.Proxy(gw));
            var wanted = IngressAddresses.Of(proxy);
            foreach (var result in outcomes[i].Results)
                addresses.TryAdd((result.Source.Kind, result.Source.Namespace, result.Source.Name), wanted);
        }
        foreach (var ingress in cluster.Ingresses)
        {
            var key = ("Ingress", ingress.Metadata.NamespaceProperty ?? "default", ingress.Metadata.Name);
            if (!verdicts.TryGetValue(key, out var verdict))
                continue;
            await WarnAsync(ingress, key, verdict, cancel);
            if (addresses.TryGetValue(key, out var wanted))
                await LoadBalancerAsync(ingress, wanted, cancel);
        }
        foreach (var service in cluster.Services)
        {
            var key = ("Service", service.Metadata.NamespaceProperty ?? "default", service.Metadata.Name);
            if (verdicts.TryGetValue(key, out var verdict))
                await WarnAsync(service, key, verdict, cancel);
        }
    }

    async Task ProgrammedAsync<T>(T resource, SyncVerdict verdict, DateTimeOffset now, CancellationToken cancel)
        where T : class, IKubernetesObject<V1ObjectMeta>, IStatusObject<ProgrammedStatus>
    {
        var status = ProgrammedCondition.Build(resource.Metadata.Generation, verdict, resource.Status, now);
        if (ProgrammedCondition.Same(resource.Status, status))
            return;
        var copy = ObjectJson.Clone(resource);
        EntityInfo.WithTypeMeta(copy);
        copy.Status = status;
        try
        {
            await client.UpdateStatusAsync(copy, cancel);
        }
        catch (Exception error) when (error is KubernetesConflictException or KubernetesNotFoundException)
        {
            // The object changed or went away meanwhile: its watch event queues another sync.
        }
    }

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
        var copy = ObjectJson.Clone(ingress);
        EntityInfo.WithTypeMeta(copy);
        copy.Status = new V1IngressStatus { LoadBalancer = new V1IngressLoadBalancerStatus { Ingress = [.. wanted] } };
        try
        {
            await client.UpdateStatusAsync(copy, cancel);
        }
        catch (Exception error) when (error is KubernetesConflictException or KubernetesNotFoundException)
        {
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
