using System.Text.Json.Nodes;

namespace Gateway.Operator.Kubernetes;

/// <summary>Typed access to the Kubernetes API. URLs come from each type's <see cref="KubernetesEntityAttribute"/>.</summary>
public interface IKubernetesClient
{
    /// <summary>The namespace this process runs in (in-cluster) or its kubeconfig context names.</summary>
    string DefaultNamespace { get; }

    /// <summary>The object, or null when it does not exist.</summary>
    Task<T?> GetAsync<T>(string name, string? ns = null, CancellationToken cancel = default) where T : class, IKubernetesObject;

    Task<ObjectList<T>> ListAsync<T>(string? ns = null, string? labelSelector = null, CancellationToken cancel = default) where T : class, IKubernetesObject;

    Task<T> CreateAsync<T>(T entity, CancellationToken cancel = default) where T : class, IKubernetesObject;

    /// <summary>Replaces the object; its metadata.resourceVersion must be current (else <see cref="KubernetesConflictException"/>).</summary>
    Task<T> UpdateAsync<T>(T entity, CancellationToken cancel = default) where T : class, IKubernetesObject;

    /// <summary>Replaces only the status, through the /status subresource.</summary>
    Task<T> UpdateStatusAsync<T>(T entity, CancellationToken cancel = default) where T : class, IKubernetesObject;

    /// <summary>A JSON merge patch. A metadata.resourceVersion inside the patch makes it conditional.</summary>
    Task<T> PatchAsync<T>(string name, string? ns, JsonNode mergePatch, CancellationToken cancel = default) where T : class, IKubernetesObject;

    /// <summary>Deletes the object (owned objects go in the background); false when it was already gone.</summary>
    Task<bool> DeleteAsync<T>(string name, string? ns = null, CancellationToken cancel = default) where T : class, IKubernetesObject;

    /// <summary>
    /// Changes after <paramref name="resourceVersion"/>, with bookmarks, until the server ends the stream.
    /// Throws <see cref="KubernetesGoneException"/> when that version is too old: list again and resume from the list.
    /// </summary>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns, string? labelSelector, string resourceVersion, CancellationToken cancel = default) where T : class, IKubernetesObject;
}
