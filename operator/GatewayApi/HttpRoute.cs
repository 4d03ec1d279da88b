using Gateway.Operator.Kubernetes;
using Gateway.Operator.Schema;
using Gateway.Operator.Entities;

namespace Gateway.Operator.GatewayApi;

/// <summary>HTTP routing rules attached to Gateways (or single listeners of them) through <c>spec.parentRefs</c>.</summary>
[KubernetesEntity(Group = GatewayApiBundle.Group, ApiVersion = "v1", Kind = "HTTPRoute", PluralName = "httproutes")]
[StatusSubresource]
[GenericAdditionalPrinterColumn(".spec.hostnames", "Hostnames", "string")]
[GenericAdditionalPrinterColumn(".metadata.creationTimestamp", "Age", "date")]
public sealed class HttpRoute : IKubernetesObject<V1ObjectMeta>, IStatusObject<RouteStatus>
{
    public string ApiVersion { get; set; } = GatewayApiBundle.Group + "/v1";
    public string Kind { get; set; } = "HTTPRoute";
    public V1ObjectMeta Metadata { get; set; } = new();
    public HttpRouteSpec Spec { get; set; } = new();
    public RouteStatus? Status { get; set; }
}

public sealed class HttpRouteSpec
{
    public List<ParentReference>? ParentRefs { get; set; }
    public List<string>? Hostnames { get; set; }
    public List<HttpRouteRule>? Rules { get; set; }
}

public sealed class HttpRouteRule
{
    public string? Name { get; set; }
    /// <summary>Absent or empty: one match of every path (PathPrefix "/").</summary>
    public List<HttpRouteMatch>? Matches { get; set; }
    public List<HttpRouteFilter>? Filters { get; set; }
    public List<HttpBackendRef>? BackendRefs { get; set; }
    public HttpRouteTimeouts? Timeouts { get; set; }
}

/// <summary>One way a request matches a rule; every field given must match.</summary>
public sealed class HttpRouteMatch
{
    public HttpPathMatch? Path { get; set; }
    public List<HttpHeaderMatch>? Headers { get; set; }
    public List<HttpQueryParamMatch>? QueryParams { get; set; }
    public string? Method { get; set; }
}

public sealed class HttpPathMatch
{
    /// <summary>Exact, PathPrefix (the default) or RegularExpression.</summary>
    public string? Type { get; set; }
    public string? Value { get; set; }
}

public sealed class HttpHeaderMatch
{
    /// <summary>Exact (the default) or RegularExpression.</summary>
    public string? Type { get; set; }
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
}

public sealed class HttpQueryParamMatch
{
    /// <summary>Exact (the default) or RegularExpression.</summary>
    public string? Type { get; set; }
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
}

/// <summary>One filter; <see cref="Type"/> says which of the other fields holds its settings.</summary>
public sealed class HttpRouteFilter
{
    /// <summary>RequestHeaderModifier, ResponseHeaderModifier, RequestMirror, RequestRedirect, URLRewrite or ExtensionRef.</summary>
    public string Type { get; set; } = "";
    public HttpHeaderFilter? RequestHeaderModifier { get; set; }
    public HttpHeaderFilter? ResponseHeaderModifier { get; set; }
    public HttpRequestMirrorFilter? RequestMirror { get; set; }
    public HttpRequestRedirectFilter? RequestRedirect { get; set; }
    public HttpUrlRewriteFilter? UrlRewrite { get; set; }
    public LocalObjectReference? ExtensionRef { get; set; }
}

public sealed class HttpHeaderFilter
{
    public List<HttpHeader>? Set { get; set; }
    public List<HttpHeader>? Add { get; set; }
    public List<string>? Remove { get; set; }
}

public sealed class HttpHeader
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
}

public sealed class HttpPathModifier
{
    /// <summary>ReplaceFullPath or ReplacePrefixMatch.</summary>
    public string Type { get; set; } = "";
    public string? ReplaceFullPath { get; set; }
    public string? ReplacePrefixMatch { get; set; }
}

public sealed class HttpRequestRedirectFilter
{
    public string? Scheme { get; set; }
    public string? Hostname { get; set; }
    public HttpPathModifier? Path { get; set; }
    public int? Port { get; set; }
    /// <summary>301 or 302 (the default); the standard channel's CRD also lists 303, 307 and 308.</summary>
    public int? StatusCode { get; set; }
}

public sealed class HttpUrlRewriteFilter
{
    public string? Hostname { get; set; }
    public HttpPathModifier? Path { get; set; }
}

public sealed class HttpRequestMirrorFilter
{
    public BackendObjectReference BackendRef { get; set; } = new();
    public int? Percent { get; set; }
    public MirrorFraction? Fraction { get; set; }
}

public sealed class MirrorFraction
{
    public int Numerator { get; set; }
    public int? Denominator { get; set; }
}

/// <summary>A backend of a rule, with its share of the rule's requests (weight, 1 by default) and its own filters.</summary>
public sealed class HttpBackendRef : BackendObjectReference
{
    public int? Weight { get; set; }
    public List<HttpRouteFilter>? Filters { get; set; }
}

/// <summary>Durations in the spec's format (<c>10s</c>, <c>1m30s</c>, <c>500ms</c>).</summary>
public sealed class HttpRouteTimeouts
{
    public string? Request { get; set; }
    public string? BackendRequest { get; set; }
}

/// <summary>What each controller says about the route, one entry per parentRef it handles.</summary>
public sealed class RouteStatus
{
    public List<RouteParentStatus> Parents { get; set; } = [];
}

public sealed class RouteParentStatus
{
    public ParentReference ParentRef { get; set; } = new();
    public string ControllerName { get; set; } = "";
    public List<Condition> Conditions { get; set; } = [];
}
