namespace Gateway.Operator.Kubernetes.Objects;

// apps/v1, batch/v1 and policy/v1 kinds, and the status fields the operator reads from them.

[KubernetesEntity(Group = "apps", ApiVersion = "v1", Kind = "Deployment", PluralName = "deployments")]
public sealed class Deployment : KubernetesObject, IStatusObject<DeploymentStatus>
{
    public DeploymentSpec Spec { get; set; } = new();
    public DeploymentStatus? Status { get; set; }
}

public sealed class DeploymentSpec
{
    public int? Replicas { get; set; }
    public LabelSelector Selector { get; set; } = new();
    public PodTemplateSpec Template { get; set; } = new();
    public DeploymentStrategy? Strategy { get; set; }
    public int? RevisionHistoryLimit { get; set; }
}

public sealed class DeploymentStrategy
{
    public string Type { get; set; } = "RollingUpdate";
    public RollingUpdateDeployment? RollingUpdate { get; set; }
}

public sealed class RollingUpdateDeployment
{
    public IntOrString? MaxUnavailable { get; set; }
    public IntOrString? MaxSurge { get; set; }
}

public sealed class DeploymentStatus
{
    public long? ObservedGeneration { get; set; }
    public int? Replicas { get; set; }
    public int? UpdatedReplicas { get; set; }
    public int? ReadyReplicas { get; set; }
    public int? AvailableReplicas { get; set; }
    public List<WorkloadCondition>? Conditions { get; set; }
}

/// <summary>The condition shape Deployments and Jobs report.</summary>
public sealed class WorkloadCondition
{
    public string Type { get; set; } = "";
    public string Status { get; set; } = "";
    public string? Reason { get; set; }
    public string? Message { get; set; }
}

[KubernetesEntity(Group = "apps", ApiVersion = "v1", Kind = "StatefulSet", PluralName = "statefulsets")]
public sealed class StatefulSet : KubernetesObject, IStatusObject<StatefulSetStatus>
{
    public StatefulSetSpec Spec { get; set; } = new();
    public StatefulSetStatus? Status { get; set; }
}

public sealed class StatefulSetSpec
{
    public int? Replicas { get; set; }
    public string ServiceName { get; set; } = "";
    public LabelSelector Selector { get; set; } = new();
    public PodTemplateSpec Template { get; set; } = new();
    public List<PersistentVolumeClaim>? VolumeClaimTemplates { get; set; }
    public StatefulSetPersistentVolumeClaimRetentionPolicy? PersistentVolumeClaimRetentionPolicy { get; set; }
}

public sealed class StatefulSetPersistentVolumeClaimRetentionPolicy
{
    public string? WhenDeleted { get; set; }
    public string? WhenScaled { get; set; }
}

public sealed class StatefulSetStatus
{
    public long? ObservedGeneration { get; set; }
    public int? Replicas { get; set; }
    public int? ReadyReplicas { get; set; }
    public int? CurrentReplicas { get; set; }
    public int? UpdatedReplicas { get; set; }
}

[KubernetesEntity(Group = "batch", ApiVersion = "v1", Kind = "Job", PluralName = "jobs")]
public sealed class Job : KubernetesObject, IStatusObject<JobStatus>
{
    public JobSpec Spec { get; set; } = new();
    public JobStatus? Status { get; set; }
}

public sealed class JobSpec
{
    public int? BackoffLimit { get; set; }
    public int? TtlSecondsAfterFinished { get; set; }
    public long? ActiveDeadlineSeconds { get; set; }
    public PodTemplateSpec Template { get; set; } = new();
}

public sealed class JobStatus
{
    public int? Active { get; set; }
    public int? Succeeded { get; set; }
    public int? Failed { get; set; }
    public List<WorkloadCondition>? Conditions { get; set; }
}

[KubernetesEntity(Group = "policy", ApiVersion = "v1", Kind = "PodDisruptionBudget", PluralName = "poddisruptionbudgets")]
public sealed class PodDisruptionBudget : KubernetesObject
{
    public PodDisruptionBudgetSpec Spec { get; set; } = new();
}

public sealed class PodDisruptionBudgetSpec
{
    public IntOrString? MinAvailable { get; set; }
    public IntOrString? MaxUnavailable { get; set; }
    public LabelSelector Selector { get; set; } = new();
}
