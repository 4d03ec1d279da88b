namespace Gateway.Operator.Kubernetes;

public enum WatchEventType { Added, Modified, Deleted, Bookmark }

/// <summary>One event of a watch stream. A bookmark carries only metadata.resourceVersion.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T Object) where T : IKubernetesObject;
