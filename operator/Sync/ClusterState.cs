using Gateway.Operator.Entities;
using Gateway.Operator.GatewayApi;

namespace Gateway.Operator.Sync;

/// <summary>
/// The cluster's objects as the operator's caches hold them at one moment: everything any gateway's configuration
/// is translated from. The lists are shared with the caches and must not be changed.
/// </summary>
public sealed record ClusterState
{
    public IReadOnlyList<V1IngressClass> IngressClasses { get; init; } = [];
    public IReadOnlyList<V1Ingress> Ingresses { get; init; } = [];
    public IReadOnlyList<V1Service> Services { get; init; } = [];
    public IReadOnlyList<V1EndpointSlice> EndpointSlices { get; init; } = [];
    public IReadOnlyList<V1Secret> Secrets { get; init; } = [];
    public IReadOnlyList<TollgatePlugin> Plugins { get; init; } = [];
    public IReadOnlyList<TollgateClusterPlugin> ClusterPlugins { get; init; } = [];
    public IReadOnlyList<TollgateConsumer> Consumers { get; init; } = [];
    public IReadOnlyList<GatewayClass> GatewayClasses { get; init; } = [];
    public IReadOnlyList<KubernetesGateway> Gateways { get; init; } = [];
    public IReadOnlyList<HttpRoute> HttpRoutes { get; init; } = [];
    public IReadOnlyList<ReferenceGrant> ReferenceGrants { get; init; } = [];
    public IReadOnlyList<V1Namespace> Namespaces { get; init; } = [];
}
