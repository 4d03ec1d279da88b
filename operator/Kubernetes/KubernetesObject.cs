using System.Reflection;
using System.Text.Json.Serialization;

namespace Gateway.Operator.Kubernetes;

/// <summary>Any object the API server stores: apiVersion, kind and metadata.</summary>
public interface IKubernetesObject
{
    string ApiVersion { get; set; }
    string Kind { get; set; }
    ObjectMeta Metadata { get; set; }
}

/// <summary>
/// Base of every typed object. apiVersion and kind are filled from the type's
/// <see cref="KubernetesEntityAttribute"/>, so a new object serializes correctly without ceremony.
/// </summary>
public abstract class KubernetesObject : IKubernetesObject
{
    protected KubernetesObject()
    {
        var entity = EntityInfo.Of(GetType());
        ApiVersion = entity.GroupVersion;
        Kind = entity.Kind;
    }

    [JsonPropertyOrder(-3)] public string ApiVersion { get; set; }
    [JsonPropertyOrder(-2)] public string Kind { get; set; }
    [JsonPropertyOrder(-1)] public ObjectMeta Metadata { get; set; } = new();
}

/// <summary>A kind whose objects carry a spec and a status.</summary>
public interface IStatusObject<TStatus> where TStatus : class
{
    TStatus? Status { get; set; }
}

/// <summary>Reads <see cref="KubernetesEntityAttribute"/> from a type, with a clear error when it is missing.</summary>
public static class EntityInfo
{
    public static KubernetesEntityAttribute Of<T>() => Of(typeof(T));

    public static KubernetesEntityAttribute Of(Type type) =>
        type.GetCustomAttribute<KubernetesEntityAttribute>()
        ?? throw new InvalidOperationException($"{type.Name} has no [KubernetesEntity] attribute");
}
