using Gateway.Operator.Kubernetes;

namespace Gateway.Operator.Runtime;

/// <summary>"namespace/name" (or "name" for cluster-scoped objects): how queues and caches address objects.</summary>
public static class ObjectKey
{
    public static string Of(IKubernetesObject<V1ObjectMeta> obj) => Of(obj.Metadata.NamespaceProperty, obj.Metadata.Name!);

    public static string Of(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";

    public static (string? Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? (null, key) : (key[..slash], key[(slash + 1)..]);
    }
}
