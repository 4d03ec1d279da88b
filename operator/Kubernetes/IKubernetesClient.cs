using System.Text.Json.Nodes;

namespace Gateway.Operator.Kubernetes;

/// <summary>
/// Typed access to the Kubernetes API for any kind the official client models (and our own kinds). URLs come from each
/// type's <see cref="KubernetesEntityAttribute"/>. Errors are <see cref="KubernetesApiException"/>s.
/// </summary>
public interface IKubernetesClient
{
    /// <summary>The namespace this process runs in (in-cluster) or its kubeconfig context names.</summary>
    string DefaultNamespace { get; }

    /// <summary>The object, or null when it does not exist.</summary>
    Task<T?> GetAsync<T>(string name, string? ns = null, CancellationToken cancel = default) where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Objects of a namespace, or of all namespaces when <paramref name="ns"/> is null.</summary>
    Task<KubernetesList<T>> ListAsync<T>(string? ns = null, string? labelSelector = null, CancellationToken cancel = default) where T : class, IKubernetesObject<V1ObjectMeta>;

    Task<T> CreateAsync<T>(T entity, CancellationToken cancel = default) where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Replaces the object; its metadata.resourceVersion must be current (else <see cref="KubernetesConflictException"/>).</summary>
    Task<T> UpdateAsync<T>(T entity, CancellationToken cancel = default) where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Replaces only the status, through the /status subresource.</summary>
    Task<T> UpdateStatusAsync<T>(T entity, CancellationToken cancel = default) where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>A JSON merge patch. A metadata.resourceVersion inside the patch makes it conditional.</summary>
    Task<T> PatchAsync<T>(string name, string? ns, JsonNode mergePatch, CancellationToken cancel = default) where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Server-side apply of <paramref name="configuration"/> as <paramref name="fieldManager"/>: the fields it names become
    /// that manager's, fields the manager applied before and no longer names are removed. With <paramref name="force"/>,
    /// fields another manager owns are taken over instead of failing with a conflict.
    /// </summary>
    Task<T> ApplyAsync<T>(T configuration, string fieldManager, bool force, CancellationToken cancel = default) where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Deletes the object (owned objects go in the background); false when it was already gone.</summary>
    Task<bool> DeleteAsync<T>(string name, string? ns = null, CancellationToken cancel = default) where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Changes after <paramref name="resourceVersion"/>, with bookmarks, until the server ends the stream.
    /// Throws <see cref="KubernetesGoneException"/> when that version is too old: list again and resume from the list.
    /// </summary>
    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync<T>(string? ns, string? labelSelector, string resourceVersion, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;
}
