using Gateway.Operator.GatewayApi;

namespace Gateway.Operator.Translation;

/// <summary>
/// Everything one ApiGateway's configuration is translated from: the gateway's identity and IngressClass, and the
/// cluster's objects as the operator's caches hold them (in any order; the translation sorts).
/// </summary>
public sealed record TranslationInput
{
    /// <summary>The ApiGateway's namespace and name; they make the tag that selects everything it owns.</summary>
    public required string GatewayNamespace { get; init; }
    public required string GatewayName { get; init; }

    /// <summary>The IngressClass the ApiGateway serves (its <c>spec.ingress.className</c>).</summary>
    public required string IngressClassName { get; init; }

    public IReadOnlyList<V1IngressClass> IngressClasses { get; init; } = [];
    public IReadOnlyList<V1Ingress> Ingresses { get; init; } = [];
    public IReadOnlyList<V1Service> Services { get; init; } = [];
    public IReadOnlyList<V1EndpointSlice> EndpointSlices { get; init; } = [];

    /// <summary>The Gateway API Gateways this ApiGateway serves (the caller selects them by class and parameters).</summary>
    public IReadOnlyList<KubernetesGateway> Gateways { get; init; } = [];
    public IReadOnlyList<HttpRoute> HttpRoutes { get; init; } = [];
    public IReadOnlyList<ReferenceGrant> ReferenceGrants { get; init; } = [];

    /// <summary>The cluster's namespaces, whose labels listeners select routes by.</summary>
    public IReadOnlyList<V1Namespace> Namespaces { get; init; } = [];

    /// <summary>Secrets of type <c>kubernetes.io/tls</c> (others are ignored).</summary>
    public IReadOnlyList<V1Secret> Secrets { get; init; } = [];
}
