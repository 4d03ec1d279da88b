using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;

namespace Gateway.Operator.Builders;

/// <summary>Labels, selectors and the owner reference every child carries.</summary>
public static class GatewayLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Component = "app.kubernetes.io/component";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string Operator = "tollgate-operator";

    /// <summary>The gateway's namespace, on children that live in none (an IngressClass), which no owner reference can point from.</summary>
    public const string GatewayNamespace = "tollgate.dev/gateway-namespace";

    /// <summary>Selects everything this operator manages; its caches watch only these objects.</summary>
    public const string ManagedSelector = ManagedBy + "=" + Operator;

    /// <summary>The labels on a child and its pods.</summary>
    public static Dictionary<string, string> For(ApiGateway gw, string component) => new()
    {
        [Name] = "tollgate",
        [Instance] = gw.Metadata.Name!,
        [Component] = component,
        [PartOf] = "tollgate",
        [ManagedBy] = Operator,
    };

    /// <summary>The stable subset used as a selector (selectors of Deployments and StatefulSets are immutable).</summary>
    public static Dictionary<string, string> Selector(ApiGateway gw, string component) => new()
    {
        [Name] = "tollgate",
        [Instance] = gw.Metadata.Name!,
        [Component] = component,
    };

    /// <summary>The labels of the operator's own pods (its Deployment's selector), by which NetworkPolicies admit it.</summary>
    public static Dictionary<string, string> OperatorPods() => new() { [Name] = Operator };

    /// <summary>Metadata of a child: name, the gateway's namespace, labels and the controller owner reference.</summary>
    public static V1ObjectMeta Metadata(ApiGateway gw, string name, string component, Dictionary<string, string>? annotations = null) => new()
    {
        Name = name,
        NamespaceProperty = gw.Metadata.NamespaceProperty,
        Labels = For(gw, component),
        Annotations = annotations is { Count: > 0 } ? new Dictionary<string, string>(annotations) : null,
        OwnerReferences =
        [
            new()
            {
                ApiVersion = gw.ApiVersion,
                Kind = gw.Kind,
                Name = gw.Metadata.Name!,
                Uid = gw.Metadata.Uid ?? "",
                Controller = true,
                BlockOwnerDeletion = true,
            },
        ],
    };
}

/// <summary>Component names used in labels and conditions.</summary>
public static class Components
{
    public const string Proxy = "proxy";
    public const string Admin = "admin";
    public const string Postgres = "postgres";
    public const string Redis = "redis";
    public const string Migration = "migration";
    public const string Ingress = "ingress";
}
