using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Autorest;

namespace Gateway.Operator.Kubernetes;

/// <summary>
/// <see cref="IKubernetesClient"/> on the official client. Every kind goes through its generic custom-object calls
/// (which serve the core group under /api too), so one code path covers built-in kinds and our own, with the
/// official models and JSON conventions; errors become <see cref="KubernetesApiException"/>s.
/// </summary>
public sealed class KubernetesApi(k8s.Kubernetes kubernetes, string defaultNamespace) : IKubernetesClient, IDisposable
{
    /// <summary>How long the server may hold a watch open before the informer resumes it.</summary>
    const int WatchSeconds = 300;

    public KubernetesApi(KubernetesClientConfiguration configuration)
        : this(new k8s.Kubernetes(configuration), configuration.Namespace is { Length: > 0 } ns ? ns : "default")
    {
    }

    public string DefaultNamespace => defaultNamespace;

    ICustomObjectsOperations Api => kubernetes.CustomObjects;

    public async Task<T?> GetAsync<T>(string name, string? ns = null, CancellationToken cancel = default) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = EntityInfo.Of<T>();
        try
        {
            return await Call(async () => e.Namespaced
                ? (await Api.GetNamespacedCustomObjectWithHttpMessagesAsync<T>(e.Group, e.ApiVersion, Namespace<T>(ns), e.PluralName, name, cancellationToken: cancel)).Body
                : (await Api.GetClusterCustomObjectWithHttpMessagesAsync<T>(e.Group, e.ApiVersion, e.PluralName, name, cancellationToken: cancel)).Body);
        }
        catch (KubernetesNotFoundException)
        {
            return null;
        }
    }

    public Task<KubernetesList<T>> ListAsync<T>(string? ns = null, string? labelSelector = null, CancellationToken cancel = default) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = EntityInfo.Of<T>();
        return Call(async () => e.Namespaced && ns is not null
            ? (await Api.ListNamespacedCustomObjectWithHttpMessagesAsync<KubernetesList<T>>(e.Group, e.ApiVersion, ns, e.PluralName, labelSelector: labelSelector, cancellationToken: cancel)).Body
            : (await Api.ListClusterCustomObjectWithHttpMessagesAsync<KubernetesList<T>>(e.Group, e.ApiVersion, e.PluralName, labelSelector: labelSelector, cancellationToken: cancel)).Body);
    }

    public Task<T> CreateAsync<T>(T entity, CancellationToken cancel = default) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = Stamp(entity);
        return Call(async () => e.Namespaced
            ? (await Api.CreateNamespacedCustomObjectWithHttpMessagesAsync<T>(entity, e.Group, e.ApiVersion, Namespace<T>(entity.Metadata.NamespaceProperty), e.PluralName, cancellationToken: cancel)).Body
            : (await Api.CreateClusterCustomObjectWithHttpMessagesAsync<T>(entity, e.Group, e.ApiVersion, e.PluralName, cancellationToken: cancel)).Body);
    }

    public Task<T> UpdateAsync<T>(T entity, CancellationToken cancel = default) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = Stamp(entity);
        return Call(async () => e.Namespaced
            ? (await Api.ReplaceNamespacedCustomObjectWithHttpMessagesAsync<T>(entity, e.Group, e.ApiVersion, Namespace<T>(entity.Metadata.NamespaceProperty), e.PluralName, NameOf(entity), cancellationToken: cancel)).Body
            : (await Api.ReplaceClusterCustomObjectWithHttpMessagesAsync<T>(entity, e.Group, e.ApiVersion, e.PluralName, NameOf(entity), cancellationToken: cancel)).Body);
    }

    public Task<T> UpdateStatusAsync<T>(T entity, CancellationToken cancel = default) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = Stamp(entity);
        return Call(async () => e.Namespaced
            ? (await Api.ReplaceNamespacedCustomObjectStatusWithHttpMessagesAsync<T>(entity, e.Group, e.ApiVersion, Namespace<T>(entity.Metadata.NamespaceProperty), e.PluralName, NameOf(entity), cancellationToken: cancel)).Body
            : (await Api.ReplaceClusterCustomObjectStatusWithHttpMessagesAsync<T>(entity, e.Group, e.ApiVersion, e.PluralName, NameOf(entity), cancellationToken: cancel)).Body);
    }

    public Task<T> PatchAsync<T>(string name, string? ns, JsonNode mergePatch, CancellationToken cancel = default) where T : class, IKubernetesObject<V1ObjectMeta> =>
        PatchAsync<T>(name, ns, new V1Patch(mergePatch.ToJsonString(), V1Patch.PatchType.MergePatch), null, null, cancel);

    public Task<T> ApplyAsync<T>(T configuration, string fieldManager, bool force, CancellationToken cancel = default) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Stamp(configuration);
        return PatchAsync<T>(NameOf(configuration), configuration.Metadata.NamespaceProperty,
            new V1Patch(ObjectJson.Serialize(configuration), V1Patch.PatchType.ApplyPatch), fieldManager, force, cancel);
    }

    Task<T> PatchAsync<T>(string name, string? ns, V1Patch patch, string? fieldManager, bool? force, CancellationToken cancel) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = EntityInfo.Of<T>();
        return Call(async () => e.Namespaced
            ? (await Api.PatchNamespacedCustomObjectWithHttpMessagesAsync<T>(patch, e.Group, e.ApiVersion, Namespace<T>(ns), e.PluralName, name, fieldManager: fieldManager, force: force, cancellationToken: cancel)).Body
            : (await Api.PatchClusterCustomObjectWithHttpMessagesAsync<T>(patch, e.Group, e.ApiVersion, e.PluralName, name, fieldManager: fieldManager, force: force, cancellationToken: cancel)).Body);
    }

    public async Task<bool> DeleteAsync<T>(string name, string? ns = null, CancellationToken cancel = default) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = EntityInfo.Of<T>();
        var options = new V1DeleteOptions { PropagationPolicy = "Background" };
        try
        {
            await Call(async () => e.Namespaced
                ? (await Api.DeleteNamespacedCustomObjectWithHttpMessagesAsync(e.Group, e.ApiVersion, Namespace<T>(ns), e.PluralName, name, options, cancellationToken: cancel)).Body
                : (await Api.DeleteClusterCustomObjectWithHttpMessagesAsync(e.Group, e.ApiVersion, e.PluralName, name, options, cancellationToken: cancel)).Body);
            return true;
        }
        catch (KubernetesNotFoundException)
        {
            return false;
        }
    }

    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync<T>(string? ns, string? labelSelector, string resourceVersion,
        [EnumeratorCancellation] CancellationToken cancel = default) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var e = EntityInfo.Of<T>();
        // The client reports an ERROR event (410 Gone above all) through onError and then ends the stream as if the
        // server had closed it: the first error is kept and thrown once the stream has ended, so it is never lost.
        Exception? failure = null;
        void OnError(Exception error) => failure ??= error;
        var events = e.Namespaced && ns is not null
            ? Api.WatchListNamespacedCustomObjectAsync(e.Group, e.ApiVersion, ns, e.PluralName, allowWatchBookmarks: true, labelSelector: labelSelector,
                resourceVersion: resourceVersion, timeoutSeconds: WatchSeconds, onError: OnError, cancellationToken: cancel)
            : Api.WatchListClusterCustomObjectAsync(e.Group, e.ApiVersion, e.PluralName, allowWatchBookmarks: true, labelSelector: labelSelector,
                resourceVersion: resourceVersion, timeoutSeconds: WatchSeconds, onError: OnError, cancellationToken: cancel);
        await using var changes = events.GetAsyncEnumerator(cancel);
        while (true)
        {
            bool more;
            try
            {
                more = await changes.MoveNextAsync();
            }
            catch (HttpOperationException refused)
            {
                throw KubernetesApiException.From(refused);
            }
            if (!more)
                break;
            var (type, payload) = changes.Current;
            if (type == WatchEventType.Error)
                continue; // reported through onError as well
            var json = payload is JsonElement element ? element.GetRawText() : ObjectJson.Serialize(payload);
            yield return (type, ObjectJson.Deserialize<T>(json));
        }
        switch (failure)
        {
            case null:
                break;
            case KubernetesException { Status: { } status }:
                throw KubernetesApiException.From((HttpStatusCode)(status.Code ?? 500), status, "watch failed");
            case HttpOperationException refused:
                throw KubernetesApiException.From(refused);
            default:
                throw new KubernetesApiException(HttpStatusCode.OK, null, $"watch of {e.PluralName} failed: {failure.Message}");
        }
    }

    static async Task<TResult> Call<TResult>(Func<Task<TResult>> request)
    {
        try
        {
            return await request();
        }
        catch (HttpOperationException refused)
        {
            throw KubernetesApiException.From(refused);
        }
    }

    // A new object built in code may not say what it is; the server needs apiVersion and kind in the body.
    static EntityInfo Stamp<T>(T entity) where T : IKubernetesObject<V1ObjectMeta>
    {
        EntityInfo.WithTypeMeta(entity);
        return EntityInfo.Of<T>();
    }

    static string Namespace<T>(string? ns) =>
        string.IsNullOrEmpty(ns) ? throw new ArgumentException($"{typeof(T).Name} is namespaced: a namespace is required") : ns;

    static string NameOf(IKubernetesObject<V1ObjectMeta> entity) =>
        entity.Metadata?.Name ?? throw new ArgumentException($"{entity.Kind} has no metadata.name");

    public void Dispose() => kubernetes.Dispose();
}
