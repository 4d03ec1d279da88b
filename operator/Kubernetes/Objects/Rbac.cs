namespace Gateway.Operator.Kubernetes.Objects;

// rbac.authorization.k8s.io/v1 kinds.

[KubernetesEntity(Group = "rbac.authorization.k8s.io", ApiVersion = "v1", Kind = "Role", PluralName = "roles")]
public sealed class Role : KubernetesObject
{
    public List<PolicyRule> Rules { get; set; } = [];
}

[KubernetesEntity(Group = "rbac.authorization.k8s.io", ApiVersion = "v1", Kind = "ClusterRole", PluralName = "clusterroles", Namespaced = false)]
public sealed class ClusterRole : KubernetesObject
{
    public List<PolicyRule> Rules { get; set; } = [];
}

public sealed class PolicyRule
{
    public List<string> ApiGroups { get; set; } = [];
    public List<string> Resources { get; set; } = [];
    public List<string>? ResourceNames { get; set; }
    public List<string> Verbs { get; set; } = [];
}

[KubernetesEntity(Group = "rbac.authorization.k8s.io", ApiVersion = "v1", Kind = "RoleBinding", PluralName = "rolebindings")]
public sealed class RoleBinding : KubernetesObject
{
    public RoleRef RoleRef { get; set; } = new();
    public List<Subject> Subjects { get; set; } = [];
}

[KubernetesEntity(Group = "rbac.authorization.k8s.io", ApiVersion = "v1", Kind = "ClusterRoleBinding", PluralName = "clusterrolebindings", Namespaced = false)]
public sealed class ClusterRoleBinding : KubernetesObject
{
    public RoleRef RoleRef { get; set; } = new();
    public List<Subject> Subjects { get; set; } = [];
}

public sealed class RoleRef
{
    public string ApiGroup { get; set; } = "rbac.authorization.k8s.io";
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
}

public sealed class Subject
{
    public string Kind { get; set; } = "ServiceAccount";
    public string Name { get; set; } = "";
    public string? Namespace { get; set; }
}
