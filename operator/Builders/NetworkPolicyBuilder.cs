using Gateway.Operator.Entities;

namespace Gateway.Operator.Builders;

/// <summary>
/// Who may connect to the gateway's pods: Postgres only from the proxies and the migration Job, Redis only
/// from the proxies, the proxies' Admin API only from the operator. The proxy ports and the status port
/// (Prometheus scrapes it) stay open to every source; kubelet probes do not pass through NetworkPolicy.
/// Outgoing traffic is not restricted. The cluster's network plugin enforces these; without one that
/// implements NetworkPolicy they change nothing.
/// </summary>
public static class NetworkPolicyBuilder
{
    /// <summary>The namespace label the API server sets on every namespace (Kubernetes 1.21 and later).</summary>
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    public static V1NetworkPolicy Postgres(ApiGateway gw) =>
        Policy(gw, GatewayNames.Postgres(gw), Components.Postgres,
            [new() { FromProperty = [Pods(gw, Components.Proxy), Pods(gw, Components.Migration)], Ports = [Tcp(GatewayEnvironment.PostgresPort)] }]);

    public static V1NetworkPolicy Redis(ApiGateway gw) =>
        Policy(gw, GatewayNames.Redis(gw), Components.Redis,
            [new() { FromProperty = [Pods(gw, Components.Proxy)], Ports = [Tcp(GatewayEnvironment.RedisPort)] }]);

    /// <summary>The proxy pods; <paramref name="operatorNamespace"/> is where the operator's pods run.</summary>
    public static V1NetworkPolicy Proxy(ApiGateway gw, string operatorNamespace)
    {
        var open = new List<V1NetworkPolicyPort> { Tcp(GatewayEnvironment.ProxyPort) };
        if (gw.Spec.Proxy.Tls is not null)
            open.Add(Tcp(GatewayEnvironment.ProxyTlsPort));
        open.Add(Tcp(GatewayEnvironment.StatusPort));
        var theOperator = new V1NetworkPolicyPeer
        {
            NamespaceSelector = new() { MatchLabels = new Dictionary<string, string> { [NamespaceNameLabel] = operatorNamespace } },
            PodSelector = new() { MatchLabels = GatewayLabels.OperatorPods() },
        };
        return Policy(gw, GatewayNames.Proxy(gw), Components.Proxy,
        [
            new() { Ports = open },
            new() { FromProperty = [theOperator], Ports = [Tcp(GatewayEnvironment.AdminPort)] },
        ]);
    }

    static V1NetworkPolicy Policy(ApiGateway gw, string name, string component, List<V1NetworkPolicyIngressRule> rules) => new()
    {
        Metadata = GatewayLabels.Metadata(gw, name, component),
        Spec = new()
        {
            PodSelector = new() { MatchLabels = GatewayLabels.Selector(gw, component) },
            PolicyTypes = ["Ingress"],
            Ingress = rules,
        },
    };

    // A pod selector alone: pods of this gateway's namespace.
    static V1NetworkPolicyPeer Pods(ApiGateway gw, string component) => new() { PodSelector = new() { MatchLabels = GatewayLabels.Selector(gw, component) } };

    static V1NetworkPolicyPort Tcp(int port) => new() { Protocol = "TCP", Port = port };
}
