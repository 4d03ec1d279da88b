using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Operator.Builders;
using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Runtime;

namespace Gateway.Operator.Reconciliation;

/// <summary>A child with the gateway's name exists but belongs to something else; the operator will not take it over.</summary>
public sealed class ChildConflictException(string message, string reason = "NameTaken") : Exception(message)
{
    /// <summary>The Stalled condition's reason.</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// Brings one child to its desired state with the fewest writes, by server-side apply as <see cref="FieldManager"/>.
/// The desired object names only fields the operator owns, so conflicts are forced: another manager's change to one of
/// them is undone, while fields the operator never sets (an autoscaler's replicas, another controller's labels) are left
/// to their owners. A field the operator stops setting (an annotation removed from the gateway's spec) is removed by the
/// server, because the operator applied it before and no longer does.
/// <para>
/// Nothing is written when the cached child already holds every desired value and was last applied from the same
/// desired object: <see cref="AppliedAnnotation"/> carries a digest of that object, which is how a removed field is
/// noticed although the child still contains all that is desired. Reads come from the informer cache, so a reconcile
/// with nothing to change makes no request at all. Secrets are the exception: they are read one by one, by name,
/// because caching them would need list and watch on every Secret in the cluster.
/// </para>
/// </summary>
public sealed class ChildWriter(IKubernetesClient client, IObjectCache cache)
{
    /// <summary>The field manager of every field the operator writes.</summary>
    public const string FieldManager = "tollgate-operator";

    /// <summary>A digest of the desired object last applied to the child.</summary>
    public const string AppliedAnnotation = "tollgate.dev/applied";

    /// <summary>Creates or repairs <paramref name="desired"/>; returns the live object.</summary>
    public async Task<T> EnsureAsync<T>(ApiGateway owner, T desired, CancellationToken cancel) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var name = desired.Metadata.Name!;
        // A child the cache does not know may still exist (it lost the label the caches select on, or the cache is
        // behind): it is read first, so that apply never takes over an object that belongs to something else.
        var existing = cache.Get<T>(desired.Metadata.NamespaceProperty, name)
            ?? await client.GetAsync<T>(name, desired.Metadata.NamespaceProperty, cancel);
        if (existing is not null)
            CheckOwnership(owner, existing);

        var configuration = Applied(desired);
        if (existing is not null && JsonContainment.Covers(ObjectJson.ToNode(existing), ObjectJson.ToNode(configuration)))
            return existing;
        return await client.ApplyAsync(configuration, FieldManager, force: true, cancel);
    }

    /// <summary>The configuration applied for <paramref name="desired"/>: the object itself with its digest annotated.</summary>
    public static T Applied<T>(T desired) where T : IKubernetesObject<V1ObjectMeta>
    {
        EntityInfo.WithTypeMeta(desired);
        desired.Metadata.Annotations ??= new Dictionary<string, string>();
        desired.Metadata.Annotations.Remove(AppliedAnnotation);
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ObjectJson.Serialize(desired))))[..16];
        desired.Metadata.Annotations[AppliedAnnotation] = digest;
        return desired;
    }

    /// <summary>
    /// Creates the object if it does not exist and never changes it afterwards (Jobs).
    /// <c>Created</c> is true only when this call made it.
    /// </summary>
    public async Task<(T Object, bool Created)> EnsureCreatedAsync<T>(ApiGateway owner, string name, Func<T> build, CancellationToken cancel) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var existing = cache.Get<T>(owner.Metadata.NamespaceProperty, name);
        if (existing is not null)
        {
            CheckOwnership(owner, existing);
            return (existing, false);
        }
        var (live, created) = await CreateAsync(EntityInfo.WithTypeMeta(build()), cancel);
        if (!created)
            CheckOwnership(owner, live);
        return (live, created);
    }

    /// <summary>A generated credential: created once with the value <paramref name="build"/> draws, never rewritten.</summary>
    public async Task EnsureSecretAsync(ApiGateway owner, string name, Func<V1Secret> build, CancellationToken cancel)
    {
        var existing = await client.GetAsync<V1Secret>(name, owner.Metadata.NamespaceProperty, cancel);
        if (existing is not null)
            CheckOwnership(owner, existing);
        else
            await client.CreateAsync(EntityInfo.WithTypeMeta(build()), cancel);
    }

    async Task<(T Object, bool Created)> CreateAsync<T>(T desired, CancellationToken cancel) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            return (await client.CreateAsync(desired, cancel), true);
        }
        catch (KubernetesConflictException taken) when (taken.AlreadyExists)
        {
            // The cache has not seen it, either not yet or because it lost the label the caches select on.
            var found = await client.GetAsync<T>(desired.Metadata.Name!, desired.Metadata.NamespaceProperty, cancel);
            if (found is null)
                throw;
            return (found, false);
        }
    }
    static void CheckOwnership(ApiGateway owner, IKubernetesObject<V1ObjectMeta> existing)
    {
        if (!EntityInfo.Of(existing.GetType()).Namespaced)
        {
            // A cluster-scoped child cannot point at its namespaced owner: its labels name the gateway.
            var labels = existing.Metadata.Labels;
            if (labels is not null && labels.TryGetValue(GatewayLabels.Instance, out var name) && name == owner.Metadata.Name
                && labels.TryGetValue(GatewayLabels.GatewayNamespace, out var ns) && ns == owner.Metadata.NamespaceProperty)
                return;
            throw new ChildConflictException($"{EntityInfo.Of(existing.GetType()).Kind} {existing.Metadata.Name} already exists and belongs to another gateway or controller; rename or delete it");
        }
        var controller = existing.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);
        if (controller?.Uid != owner.Metadata.Uid)
        {
            var holder = controller is null ? "no owner" : $"{controller.Kind} {controller.Name}";
            throw new ChildConflictException($"{EntityInfo.Of(existing.GetType()).Kind} {existing.Metadata.Name} already exists and belongs to {holder}; rename or delete it");
        }
    }
}
