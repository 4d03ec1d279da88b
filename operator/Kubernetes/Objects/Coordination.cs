namespace Gateway.Operator.Kubernetes.Objects;

/// <summary>coordination.k8s.io/v1 Lease: the lock leader election holds.</summary>
[KubernetesEntity(Group = "coordination.k8s.io", ApiVersion = "v1", Kind = "Lease", PluralName = "leases")]
public sealed class Lease : KubernetesObject
{
    public LeaseSpec Spec { get; set; } = new();
}

public sealed class LeaseSpec
{
    public string? HolderIdentity { get; set; }
    public int? LeaseDurationSeconds { get; set; }
    public DateTimeOffset? AcquireTime { get; set; }
    public DateTimeOffset? RenewTime { get; set; }
    public int? LeaseTransitions { get; set; }
}
