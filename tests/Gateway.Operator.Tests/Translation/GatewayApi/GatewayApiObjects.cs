using Gateway.Operator.GatewayApi;
using Gateway.Operator.Translation;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.Operator.Tests.Translation.GatewayApi;

/// <summary>Builds Gateway API objects for translation tests, and routes requests through what the proxy makes of the result.</summary>
internal static class GatewayApiObjects
{
    public static KubernetesGateway GatewayWith(string name, params Listener[] listeners) => new()
    {
        Metadata = new() { Name = name, NamespaceProperty = "default", Uid = "uid-" + name, Generation = 1 },
        Spec = new() { GatewayClassName = "tollgate", Listeners = [.. listeners] },
    };

    public static Listener Http(string name = "http", string? hostname = null, int port = 80, string? from = null) => new()
    {
        Name = name,
        Protocol = "HTTP",
        Port = port,
        Hostname = hostname,
        AllowedRoutes = from is null ? null : new() { Namespaces = new() { From = from } },
    };

    public static HttpRoute Route(string name, params HttpRouteRule[] rules) => new()
    {
        Metadata = new() { Name = name, NamespaceProperty = "default", Uid = "uid-" + name, Generation = 1, CreationTimestamp = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
        Spec = new() { ParentRefs = [new() { Name = "gw" }], Rules = [.. rules] },
    };

    public static HttpRoute CreatedOn(this HttpRoute route, int year)
    {
        route.Metadata.CreationTimestamp = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return route;
    }

    public static HttpRoute WithHostnames(this HttpRoute route, params string[] hostnames)
    {
        route.Spec.Hostnames = [.. hostnames];
        return route;
    }

    public static HttpRouteRule Rule(HttpRouteMatch[]? matches, params HttpBackendRef[] backends) => new()
    {
        Matches = matches is null ? null : [.. matches],
        BackendRefs = [.. backends],
    };

    public static HttpRouteMatch Match(string? type = null, string? path = null, string? method = null, params (string Name, string Value)[] headers) => new()
    {
        Path = path is null ? null : new() { Type = type, Value = path },
        Method = method,
        Headers = headers.Length == 0 ? null : [.. headers.Select(h => new HttpHeaderMatch { Name = h.Name, Value = h.Value })],
    };

    public static HttpBackendRef To(string service, int port = 80, int? weight = null, string? ns = null) =>
        new() { Name = service, Port = port, Weight = weight, Namespace = ns };

    public static TranslationInput Input(KubernetesGateway[] gateways, HttpRoute[] routes, V1Service[] services, V1EndpointSlice[] slices,
        ReferenceGrant[]? grants = null, V1Namespace[]? namespaces = null) => new()
    {
        GatewayNamespace = "gateways",
        GatewayName = "edge",
        IngressClassName = Cluster.ClassName,
        Gateways = gateways,
        HttpRoutes = routes,
        Services = services,
        EndpointSlices = slices,
        ReferenceGrants = grants ?? [],
        Namespaces = namespaces ?? [],
    };

    /// <summary>The proxy's routing table built from the translated document, after its declarative parser accepted it.</summary>
    public static RoutingTable Table(TranslationOutput output)
    {
        var parsed = DeclarativeParser.Parse(output.Configuration.ToJson());
        Assert.True(parsed.IsValid, parsed.Describe());
        return RoutingTable.Build(parsed.Config!);
    }

    /// <summary>The name of the Kong route the proxy picks for the request (a path with its query, if any), or null when none matches (404).</summary>
    public static string? Routed(this RoutingTable table, string path, string host = "example.com", string method = "GET", params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers) dictionary.Append(name, value);
        var query = path.IndexOf('?');
        var request = query < 0
            ? new RouteRequest(method, false, host, 80, path, null, dictionary)
            : new RouteRequest(method, false, host, 80, path[..query], null, dictionary, path[query..]);
        return table.TryMatch(request, out var match) ? match.Route.Route.Name : null;
    }
}
