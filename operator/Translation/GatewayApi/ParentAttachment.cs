using Gateway.Operator.GatewayApi;

namespace Gateway.Operator.Translation.GatewayApi;

/// <summary>A listener a route attached to, with the hostnames the route serves there (null: any host).</summary>
public sealed record AttachedListener(KubernetesGateway Gateway, Listener Listener, string[]? Hosts);

/// <summary>
/// What became of one parentRef of a route: the listeners it attached to, or why none (the spec's reasons for the
/// Accepted condition). <see cref="Gateway"/> is null when the ref names no Gateway this translation serves: another
/// controller's, or one that does not exist, and nothing is said about it.
/// </summary>
public sealed record ParentOutcome(int Index, ParentReference Ref, KubernetesGateway? Gateway, IReadOnlyList<AttachedListener> Listeners, string Reason, string Message)
{
    public bool Accepted => Reason == RouteReasons.Accepted;
}

/// <summary>The reasons of a route's conditions, as the spec names them.</summary>
public static class RouteReasons
{
    public const string Accepted = "Accepted";
    public const string NotAllowedByListeners = "NotAllowedByListeners";
    public const string NoMatchingListenerHostname = "NoMatchingListenerHostname";
    public const string NoMatchingParent = "NoMatchingParent";
    public const string UnsupportedValue = "UnsupportedValue";
    public const string IncompatibleFilters = "IncompatibleFilters";
    public const string ResolvedRefs = "ResolvedRefs";
    public const string BackendNotFound = "BackendNotFound";
    public const string InvalidKind = "InvalidKind";
    public const string RefNotPermitted = "RefNotPermitted";
}

/// <summary>
/// Attaches a route's parentRefs to listeners as the spec says: the listeners the ref selects (by sectionName and
/// port, when given) that speak HTTP, accept the route's namespace and kind, and share a hostname with it.
/// </summary>
public sealed class ParentAttachment(IReadOnlyList<KubernetesGateway> gateways, IReadOnlyList<V1Namespace> namespaces)
{
    public const string RouteKind = "HTTPRoute";

    public IReadOnlyList<ParentOutcome> Attach(HttpRoute route)
    {
        var routeNamespace = Backends.Namespace(route.Metadata);
        var outcomes = new List<ParentOutcome>();
        var refs = route.Spec.ParentRefs ?? [];
        for (var i = 0; i < refs.Count; i++) outcomes.Add(Attach(route, routeNamespace, i, refs[i]));
        return outcomes;
    }

    private ParentOutcome Attach(HttpRoute route, string routeNamespace, int index, ParentReference parent)
    {
        var gateway = (parent.Group ?? GatewayApiBundle.Group) == GatewayApiBundle.Group && (parent.Kind ?? "Gateway") == "Gateway"
            ? gateways.FirstOrDefault(g => Backends.Namespace(g.Metadata) == (parent.Namespace ?? routeNamespace) && g.Metadata.Name == parent.Name)
            : null;
        if (gateway is null) return new ParentOutcome(index, parent, null, [], RouteReasons.NoMatchingParent, "no such Gateway");

        var selected = gateway.Spec.Listeners
            .Where(l => (parent.SectionName is null || l.Name == parent.SectionName) && (parent.Port is null || l.Port == parent.Port))
            .ToList();
        if (selected.Count == 0)
            return Outcome(RouteReasons.NoMatchingParent, $"Gateway \"{Describe(gateway)}\" has no listener{Selector(parent)}");

        var allowed = selected.Where(l => l.Protocol is "HTTP" or "HTTPS" && AllowsKind(l) && AllowsNamespace(l, gateway, routeNamespace)).ToList();
        if (allowed.Count == 0)
            return Outcome(RouteReasons.NotAllowedByListeners, $"no listener{Selector(parent)} of Gateway \"{Describe(gateway)}\" allows HTTPRoutes from namespace \"{routeNamespace}\"");

        var attached = new List<AttachedListener>();
        foreach (var listener in allowed)
        {
            var hosts = Hostnames.Intersect(listener.Hostname, route.Spec.Hostnames);
            if (hosts is null || hosts.Length > 0) attached.Add(new AttachedListener(gateway, listener, hosts));
        }
        if (attached.Count == 0)
            return Outcome(RouteReasons.NoMatchingListenerHostname, $"no hostname of the route falls under the hostname of a listener{Selector(parent)} of Gateway \"{Describe(gateway)}\"");
        return new ParentOutcome(index, parent, gateway, attached, RouteReasons.Accepted, "attached to " + string.Join(", ", attached.Select(a => a.Listener.Name)));

        ParentOutcome Outcome(string reason, string message) => new(index, parent, gateway, [], reason, message);
    }

    /// <summary>Whether the listener's allowedRoutes.kinds admit HTTPRoutes (no kinds given admits them).</summary>
    public static bool AllowsKind(Listener listener) =>
        listener.AllowedRoutes?.Kinds is not { Count: > 0 } kinds || kinds.Any(IsRouteKind);

    public static bool IsRouteKind(RouteGroupKind kind) => (kind.Group ?? GatewayApiBundle.Group) == GatewayApiBundle.Group && kind.Kind == RouteKind;

    private bool AllowsNamespace(Listener listener, KubernetesGateway gateway, string routeNamespace)
    {
        var from = listener.AllowedRoutes?.Namespaces;
        return (from?.From ?? "Same") switch
        {
            "All" => true,
            "Same" => routeNamespace == Backends.Namespace(gateway.Metadata),
            "Selector" => from!.Selector is { } selector && LabelSelection.Matches(selector, Labels(routeNamespace)),
            _ => false,
        };
    }

    private IDictionary<string, string> Labels(string ns) =>
        namespaces.FirstOrDefault(n => n.Metadata.Name == ns)?.Metadata.Labels ?? new Dictionary<string, string>();

    private static string Describe(KubernetesGateway gateway) => $"{Backends.Namespace(gateway.Metadata)}/{gateway.Metadata.Name}";

    private static string Selector(ParentReference parent) =>
        (parent.SectionName, parent.Port) switch
        {
            (null, null) => "",
            ({ } name, null) => $" named \"{name}\"",
            (null, { } port) => $" on port {port}",
            ({ } name, { } port) => $" named \"{name}\" on port {port}",
        };
}

/// <summary>metav1.LabelSelector semantics: every matchLabels entry and every expression must hold.</summary>
public static class LabelSelection
{
    public static bool Matches(LabelSelector selector, IDictionary<string, string> labels)
    {
        foreach (var (key, value) in selector.MatchLabels ?? [])
            if (!labels.TryGetValue(key, out var actual) || actual != value) return false;
        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(expression.Key, out var actual);
            var holds = expression.Operator switch
            {
                "In" => has && (expression.Values ?? []).Contains(actual!),
                "NotIn" => !has || !(expression.Values ?? []).Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!holds) return false;
        }
        return true;
    }
}
