using Gateway.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Gateway.Operator.Kubernetes;

public enum EventType { Normal, Warning }

/// <summary>Writes core/v1 Events about an object, which <c>kubectl describe</c> and <c>kubectl get events</c> show.</summary>
[EntityRbac(typeof(Corev1Event), Verbs = RbacVerb.Create)]
public sealed class EventRecorder(IKubernetesClient client, ILogger<EventRecorder> logger)
{
    public const string Component = "tollgate-operator";

    public async Task RecordAsync(IKubernetesObject<V1ObjectMeta> about, EventType type, string reason, string message, CancellationToken cancel = default)
    {
        var now = DateTime.UtcNow;
        var recorded = new Corev1Event
        {
            Metadata = new()
            {
                Name = $"{about.Metadata.Name}.{Guid.NewGuid():N}"[..Math.Min(253, (about.Metadata.Name?.Length ?? 0) + 17)],
                NamespaceProperty = about.Metadata.NamespaceProperty ?? client.DefaultNamespace,
            },
            InvolvedObject = new()
            {
                ApiVersion = about.ApiVersion,
                Kind = about.Kind,
                Name = about.Metadata.Name,
                NamespaceProperty = about.Metadata.NamespaceProperty,
                Uid = about.Metadata.Uid,
                ResourceVersion = about.Metadata.ResourceVersion,
            },
            Reason = reason,
            Message = message,
            Type = type.ToString(),
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new() { Component = Component },
        };
        try
        {
            await client.CreateAsync(recorded, cancel);
        }
        catch (KubernetesApiException error)
        {
            // An event is a courtesy to the reader; failing to write one must not fail a reconcile.
            logger.LogWarning("could not record event {Reason} on {Kind} {Name}: {Error}", reason, about.Kind, about.Metadata.Name, error.Message);
        }
    }
}
