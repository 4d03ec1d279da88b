using Gateway.Operator.Kubernetes;

namespace Gateway.Operator.Runtime;

/// <summary>Reads objects from the informers' caches instead of the API: no request, no load on the server.</summary>
public interface IObjectCache
{
    /// <summary>A copy of the cached object, or null when it does not exist (as far as the cache knows).</summary>
    T? Get<T>(string? ns, string name) where T : class, IKubernetesObject<V1ObjectMeta>;

    IReadOnlyList<T> List<T>(string? ns) where T : class, IKubernetesObject<V1ObjectMeta>;
}

/// <summary>The informers of every kind the operator watches, by type.</summary>
public sealed class InformerSet : IObjectCache
{
    readonly Dictionary<Type, IInformer> informers = [];

    public IReadOnlyCollection<IInformer> All => informers.Values;

    public Informer<T> Add<T>(Informer<T> informer) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        informers.Add(typeof(T), informer);
        return informer;
    }

    public Informer<T> Of<T>() where T : class, IKubernetesObject<V1ObjectMeta> =>
        informers.TryGetValue(typeof(T), out var informer)
            ? (Informer<T>)informer
            : throw new InvalidOperationException($"no informer for {typeof(T).Name}");

    public T? Get<T>(string? ns, string name) where T : class, IKubernetesObject<V1ObjectMeta> => Of<T>().Get(ns, name);

    public IReadOnlyList<T> List<T>(string? ns) where T : class, IKubernetesObject<V1ObjectMeta> => Of<T>().List(ns);
}
