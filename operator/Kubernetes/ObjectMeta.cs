using System.Text.Json.Serialization;

namespace Gateway.Operator.Kubernetes;

/// <summary>The metadata every stored object has (the fields this operator reads or writes).</summary>
public sealed class ObjectMeta
{
    public string? Name { get; set; }
    public string? GenerateName { get; set; }
    public string? Namespace { get; set; }
    public string? Uid { get; set; }
    public string? ResourceVersion { get; set; }
    public long? Generation { get; set; }
    public DateTimeOffset? CreationTimestamp { get; set; }
    public DateTimeOffset? DeletionTimestamp { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
    public List<string>? Finalizers { get; set; }
    public List<OwnerReference>? OwnerReferences { get; set; }
}

/// <summary>Points from a child to the object that owns it; the garbage collector follows these.</summary>
public sealed class OwnerReference
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
    public string Uid { get; set; } = "";
    public bool? Controller { get; set; }
    public bool? BlockOwnerDeletion { get; set; }
}

/// <summary>A list response: the items and the resourceVersion a watch can continue from.</summary>
public sealed class ObjectList<T>
{
    public ListMeta Metadata { get; set; } = new();
    public List<T> Items { get; set; } = [];
}

public sealed class ListMeta
{
    public string? ResourceVersion { get; set; }
    public string? Continue { get; set; }
}

/// <summary>The API server's error body (kind: Status).</summary>
public sealed class Status
{
    public string? Kind { get; set; }
    public string? ApiVersion { get; set; }
    /// <summary>"Success" or "Failure".</summary>
    [JsonPropertyName("status")] public string? Outcome { get; set; }
    public string? Message { get; set; }
    public string? Reason { get; set; }
    public int Code { get; set; }
}
