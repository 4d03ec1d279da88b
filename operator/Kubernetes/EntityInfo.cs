using System.Reflection;

namespace Gateway.Operator.Kubernetes;

/// <summary>
/// Where a kind is served: the <see cref="KubernetesEntityAttribute"/> every model of the official client carries (our
/// own kinds carry it too), and whether its objects live in a namespace.
/// </summary>
public sealed record EntityInfo(string Group, string ApiVersion, string Kind, string PluralName, bool Namespaced)
{
    // The attribute does not say a kind's scope; these are the cluster-scoped kinds the operator touches.
    static readonly HashSet<string> ClusterScoped =
    [
        "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "IngressClass", "GatewayClass",
    ];

    /// <summary>"group/version", or just "version" for the core group.</summary>
    public string GroupVersion => Group.Length == 0 ? ApiVersion : $"{Group}/{ApiVersion}";

    public static EntityInfo Of<T>() => Cache<T>.Info;

    /// <summary>
    /// Fills in apiVersion and kind, which the official models leave empty when built in code, and which the API server
    /// and every reader of the object need.
    /// </summary>
    public static T WithTypeMeta<T>(T entity) where T : IKubernetesObject
    {
        var info = Of(entity.GetType());
        entity.ApiVersion ??= info.GroupVersion;
        entity.Kind ??= info.Kind;
        return entity;
    }

    public static EntityInfo Of(Type type)
    {
        var entity = type.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{type.Name} has no [KubernetesEntity] attribute");
        var namespaced = !ClusterScoped.Contains(entity.Kind) && type.GetCustomAttribute<ClusterScopedAttribute>() is null;
        return new(entity.Group ?? "", entity.ApiVersion, entity.Kind, entity.PluralName, namespaced);
    }

    static class Cache<T>
    {
        public static readonly EntityInfo Info = Of(typeof(T));
    }
}

/// <summary>Marks one of our own kinds as cluster-scoped (its objects live in no namespace).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ClusterScopedAttribute : Attribute;

/// <summary>A kind whose objects carry a status written through the /status subresource.</summary>
public interface IStatusObject<TStatus> where TStatus : class
{
    TStatus? Status { get; set; }
}
