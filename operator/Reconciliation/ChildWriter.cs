using System.Text.Json.Nodes;
using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Kubernetes.Objects;
using Gateway.Operator.Runtime;

namespace Gateway.Operator.Reconciliation;

/// <summary>A child with the gateway's name exists but belongs to something else; the operator will not take it over.</summary>
public sealed class ChildConflictException(string message) : Exception(message);

/// <summary>
/// Brings one child to its desired state with the fewest writes: create when missing, merge-patch only the
/// fields that drifted (conditioned on the resourceVersion that was read), otherwise leave it alone.
/// Reads come from the informer cache, so a reconcile with nothing to change writes nothing. Secrets are
/// the exception: they are read one by one, by name, because caching them would need list and watch on
/// every Secret in the cluster.
/// </summary>
public sealed class ChildWriter(IKubernetesClient client, IObjectCache cache)
{
    /// <summary>Creates or repairs <paramref name="desired"/>; returns the live object.</summary>
    public async Task<T> EnsureAsync<T>(ApiGateway owner, T desired, CancellationToken cancel) where T : class, IKubernetesObject
    {
        var existing = cache.Get<T>(desired.Metadata.Namespace, desired.Metadata.Name!);
        if (existing is null)
        {
            var (live, created) = await CreateAsync(desired, cancel);
            if (created)
                return live;
            existing = live;
        }
        CheckOwnership(owner, existing);
        var wanted = KubernetesJson.ToNode(desired);
        if (JsonContainment.Covers(KubernetesJson.ToNode(existing), wanted))
            return existing;

        var patch = Patchable(wanted);
        patch["metadata"]!["resourceVersion"] = existing.Metadata.ResourceVersion;
        return await client.PatchAsync<T>(desired.Metadata.Name!, desired.Metadata.Namespace, patch, cancel);
    }

    /// <summary>
    /// Creates the object if it does not exist and never changes it afterwards (Jobs).
    /// <c>Created</c> is true only when this call made it.
    /// </summary>
    public async Task<(T Object, bool Created)> EnsureCreatedAsync<T>(ApiGateway owner, string name, Func<T> build, CancellationToken cancel) where T : class, IKubernetesObject
    {
        var existing = cache.Get<T>(owner.Metadata.Namespace, name);
        if (existing is not null)
        {
            CheckOwnership(owner, existing);
            return (existing, false);
        }
        var (live, created) = await CreateAsync(build(), cancel);
        if (!created)
            CheckOwnership(owner, live);
        return (live, created);
    }

    /// <summary>A generated credential: created once with the value <paramref name="build"/> draws, never rewritten.</summary>
    public async Task EnsureSecretAsync(ApiGateway owner, string name, Func<Secret> build, CancellationToken cancel)
    {
        var existing = await client.GetAsync<Secret>(name, owner.Metadata.Namespace, cancel);
        if (existing is not null)
            CheckOwnership(owner, existing);
        else
            await client.CreateAsync(build(), cancel);
    }

    async Task<(T Object, bool Created)> CreateAsync<T>(T desired, CancellationToken cancel) where T : class, IKubernetesObject
    {
        try
        {
            return (await client.CreateAsync(desired, cancel), true);
        }
        catch (KubernetesConflictException taken) when (taken.AlreadyExists)
        {
            // The cache has not seen it, either not yet or because it lost the label the caches select on.
            var found = await client.GetAsync<T>(desired.Metadata.Name!, desired.Metadata.Namespace, cancel);
            if (found is null)
                throw;
            return (found, false);
        }
    }
    static void CheckOwnership(ApiGateway owner, IKubernetesObject existing)
    {
        var controller = existing.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);
        if (controller?.Uid != owner.Metadata.Uid)
        {
            var holder = controller is null ? "no owner" : $"{controller.Kind} {controller.Name}";
            throw new ChildConflictException($"{existing.Kind} {existing.Metadata.Name} already exists and belongs to {holder}; rename or delete it");
        }
    }

    // The desired object as a merge patch; apiVersion/kind and the identity fields are not patch material.
    static JsonObject Patchable(JsonObject desired)
    {
        var patch = desired.DeepClone().AsObject();
        patch.Remove("apiVersion");
        patch.Remove("kind");
        var metadata = patch["metadata"]!.AsObject();
        metadata.Remove("name");
        metadata.Remove("namespace");
        return patch;
    }
}
