namespace Gateway.Operator.Sync;

/// <summary>
/// Where clients reach the Ingresses of a gateway, for their <c>status.loadBalancer</c>: the load balancer addresses
/// of the gateway's proxy Service once the cloud assigned them, else its cluster IPs (as Kong Ingress Controller
/// publishes its proxy Service).
/// </summary>
public static class IngressAddresses
{
    public static IReadOnlyList<V1IngressLoadBalancerIngress> Of(V1Service? proxy)
    {
        if (proxy is null)
            return [];
        var assigned = proxy.Status?.LoadBalancer?.Ingress ?? [];
        if (assigned.Count > 0)
            return [.. assigned.Select(a => new V1IngressLoadBalancerIngress { Ip = a.Ip, Hostname = a.Hostname })];
        if (proxy.Spec?.Type == "LoadBalancer")
            return [];
        var ips = proxy.Spec?.ClusterIPs is { Count: > 0 } all ? all : proxy.Spec?.ClusterIP is { } one ? [one] : [];
        return [.. ips.Where(ip => ip != "None").Select(ip => new V1IngressLoadBalancerIngress { Ip = ip })];
    }

    public static bool Same(IList<V1IngressLoadBalancerIngress>? current, IReadOnlyList<V1IngressLoadBalancerIngress> wanted) =>
        (current ?? []).Select(a => (a.Ip, a.Hostname)).SequenceEqual(wanted.Select(a => (a.Ip, a.Hostname)));
}
