using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer;

/// <summary>The built-in kinds this server knows, plus those registered by CustomResourceDefinitions.</summary>
public sealed class ResourceCatalog
{
    readonly object gate = new();
    readonly List<ResourceType> types =
    [
        Core("Namespace", "namespaces", namespaced: false, status: true, "ns"),
        Core("ServiceAccount", "serviceaccounts", namespaced: true, status: false, "sa"),
        Core("Secret", "secrets", namespaced: true, status: false),
        Core("ConfigMap", "configmaps", namespaced: true, status: false, "cm"),
        Core("Service", "services", namespaced: true, status: true, "svc"),
        CoreEvents,
        Core("PersistentVolumeClaim", "persistentvolumeclaims", namespaced: true, status: true, "pvc"),
        Core("Pod", "pods", namespaced: true, status: true, "po"),
        new("apps", "v1", "Deployment", "deployments", true, true, ["deploy"]),
        new("apps", "v1", "StatefulSet", "statefulsets", true, true, ["sts"]),
        new("batch", "v1", "Job", "jobs", true, true, []),
        new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, true, ["pdb"]),
        new("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, false, ["netpol"]),
        new("networking.k8s.io", "v1", "Ingress", "ingresses", true, true, ["ing"]),
        new("networking.k8s.io", "v1", "IngressClass", "ingressclasses", false, false, []),
        new("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true, false, []),
        new("events.k8s.io", "v1", "Event", "events", true, false, ["ev"]) { StoredAs = CoreEvents },
        new("rbac.authorization.k8s.io", "v1", "Role", "roles", true, false, []),
        new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, false, []),
        new("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, false, []),
        new("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false, false, []),
        new("coordination.k8s.io", "v1", "Lease", "leases", true, false, []),
        new("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", false, false, []) { CreateOnly = true },
        new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, true, ["crd", "crds"]),
    ];

    static readonly ResourceType CoreEvents = Core("Event", "events", namespaced: true, status: false, "ev");

    static ResourceType Core(string kind, string plural, bool namespaced, bool status, params string[] shortNames) =>
        new("", "v1", kind, plural, namespaced, status, shortNames);

    public IReadOnlyList<ResourceType> All
    {
        get { lock (gate) return types.ToList(); }
    }

    public ResourceType? Find(string group, string version, string plural)
    {
        lock (gate)
            return types.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);
    }

    public ResourceType? FindKind(string apiVersion, string kind)
    {
        lock (gate)
            return types.FirstOrDefault(t => t.GroupVersion == apiVersion && t.Kind == kind);
    }

    /// <summary>Serves the kinds a CRD declares (its served versions), replacing an earlier registration.</summary>
    public IReadOnlyList<ResourceType> Register(JsonObject crd)
    {
        var spec = crd["spec"]!.AsObject();
        var group = (string)spec["group"]!;
        var names = spec["names"]!.AsObject();
        var plural = (string)names["plural"]!;
        var registered = new List<ResourceType>();
        foreach (var version in spec["versions"]!.AsArray().Select(v => v!.AsObject()))
        {
            if (version["served"] is JsonValue served && !(bool)served)
                continue;
            registered.Add(new ResourceType(
                group,
                (string)version["name"]!,
                (string)names["kind"]!,
                plural,
                (string?)spec["scope"] != "Cluster",
                version["subresources"]?["status"] is not null,
                names["shortNames"]?.AsArray().Select(n => (string)n!).ToList() ?? [])
            {
                PrinterColumns = version["additionalPrinterColumns"]?.DeepClone().AsArray() ?? [],
                Schema = version["schema"]?["openAPIV3Schema"]?.DeepClone().AsObject(),
                IsCustom = true,
            });
        }
        lock (gate)
        {
            types.RemoveAll(t => t.IsCustom && t.Group == group && t.Plural == plural);
            types.AddRange(registered);
        }
        return registered;
    }

    public void Unregister(string group, string plural)
    {
        lock (gate)
            types.RemoveAll(t => t.IsCustom && t.Group == group && t.Plural == plural);
    }
}
