namespace Gateway.Operator.Kubernetes.Objects;

// networking.k8s.io/v1 kinds.

/// <summary>
/// Which connections may reach the pods it selects. Once a pod is selected for ingress, only what some
/// policy's rules allow gets in; kubelet probes are not subject to it.
/// </summary>
[KubernetesEntity(Group = "networking.k8s.io", ApiVersion = "v1", Kind = "NetworkPolicy", PluralName = "networkpolicies")]
public sealed class NetworkPolicy : KubernetesObject
{
    public NetworkPolicySpec Spec { get; set; } = new();
}

public sealed class NetworkPolicySpec
{
    public LabelSelector PodSelector { get; set; } = new();
    public List<string>? PolicyTypes { get; set; }
    public List<NetworkPolicyIngressRule>? Ingress { get; set; }
}

public sealed class NetworkPolicyIngressRule
{
    /// <summary>The allowed sources; absent means every source.</summary>
    public List<NetworkPolicyPeer>? From { get; set; }
    public List<NetworkPolicyPort>? Ports { get; set; }
}

/// <summary>
/// A source. A pod selector alone means pods of the policy's namespace; with a namespace selector, pods
/// matching both (one peer, not two).
/// </summary>
public sealed class NetworkPolicyPeer
{
    public LabelSelector? PodSelector { get; set; }
    public LabelSelector? NamespaceSelector { get; set; }
}

public sealed class NetworkPolicyPort
{
    public string? Protocol { get; set; }
    public IntOrString? Port { get; set; }
}
