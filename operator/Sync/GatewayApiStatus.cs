using Gateway.Operator.Entities;
using Gateway.Operator.GatewayApi;
using Gateway.Operator.Translation;
using Gateway.Operator.Translation.GatewayApi;

namespace Gateway.Operator.Sync;

/// <summary>What one ApiGateway's sync made of the Gateways it serves and the routes attached to them.</summary>
public sealed record ServedGateways(ApiGateway ApiGateway, IReadOnlyList<KubernetesGateway> Gateways, IReadOnlyList<HttpRouteOutcome> Routes,
    string? NotApplied, IReadOnlyList<V1IngressLoadBalancerIngress> Addresses)
{
    /// <summary>Every source object's result in that ApiGateway's plan.</summary>
    public IReadOnlyList<SourceResult> Results { get; init; } = [];

    /// <summary>The Secrets listeners' certificateRefs name, as read, and the grants that let them be read across namespaces.</summary>
    public IReadOnlyList<V1Secret> Secrets { get; init; } = [];
    public IReadOnlyList<ReferenceGrant> Grants { get; init; } = [];
}

/// <summary>
/// The status of GatewayClasses, Gateways and HTTPRoutes as the Gateway API specifies it, from what the syncs found.
/// Pure: objects and outcomes in, status out; a condition keeps its lastTransitionTime while its status stays.
/// </summary>
public static class GatewayApiStatus
{
    /// <summary>The conformance suite's names of what the translation implements, in the ascending order the spec asks for.</summary>
    public static readonly string[] SupportedFeatures =
    [
        "Gateway", "HTTPRoute", "HTTPRoute303RedirectStatusCode", "HTTPRoute307RedirectStatusCode", "HTTPRoute308RedirectStatusCode",
        "HTTPRouteBackendTimeout", "HTTPRouteHostRewrite", "HTTPRouteMethodMatching", "HTTPRouteParentRefPort", "HTTPRoutePathRedirect",
        "HTTPRoutePathRewrite", "HTTPRoutePortRedirect", "HTTPRouteQueryParamMatching", "HTTPRouteRequestMirror",
        "HTTPRouteRequestMultipleMirrors", "HTTPRouteRequestPercentageMirror", "HTTPRouteRequestTimeout",
        "HTTPRouteResponseHeaderModification", "HTTPRouteSchemeRedirect", "ReferenceGrant",
    ];

    static readonly RouteGroupKind HttpRouteKind = new() { Group = GatewayApiBundle.Group, Kind = "HTTPRoute" };

    public static GatewayClassStatus ForClass(GatewayClass gatewayClass, IReadOnlyList<ApiGateway> apiGateways, DateTimeOffset now)
    {
        var generation = gatewayClass.Metadata.Generation;
        var problem = gatewayClass.Spec.ParametersRef is { } parameters ? ParametersProblem(parameters, apiGateways) : null;
        var accepted = problem is null
            ? Condition("Accepted", true, "Accepted", "served by the Tollgate operator", generation)
            : Condition("Accepted", false, "InvalidParameters", problem, generation);
        return new GatewayClassStatus
        {
            Conditions = Stamped([accepted], gatewayClass.Status?.Conditions, now),
            SupportedFeatures = problem is null ? [.. SupportedFeatures.Select(f => new SupportedFeature { Name = f })] : null,
        };
    }

    static string? ParametersProblem(ParametersReference parameters, IReadOnlyList<ApiGateway> apiGateways)
    {
        if (parameters.Group != ApiGateway.Group || parameters.Kind != "ApiGateway")
            return $"parametersRef must name an ApiGateway of group {ApiGateway.Group}, not {parameters.Kind} of group \"{parameters.Group}\"";
        if (string.IsNullOrEmpty(parameters.Namespace))
            return "parametersRef.namespace is required: an ApiGateway is namespaced";
        return apiGateways.Any(g => g.Metadata.NamespaceProperty == parameters.Namespace && g.Metadata.Name == parameters.Name)
            ? null
            : $"ApiGateway {parameters.Namespace}/{parameters.Name} does not exist";
    }

    /// <summary>The status of a Gateway of our class that no ApiGateway serves: why not.</summary>
    public static GatewayStatus Unserved(KubernetesGateway gateway, string reason, string message, DateTimeOffset now)
    {
        var generation = gateway.Metadata.Generation;
        return new GatewayStatus
        {
            Conditions = Stamped(
                [Condition("Accepted", false, reason, message, generation), Condition("Programmed", false, "Pending", message, generation)],
                gateway.Status?.Conditions, now),
        };
    }

    public static GatewayStatus ForGateway(KubernetesGateway gateway, ServedGateways served, DateTimeOffset now)
    {
        var generation = gateway.Metadata.Generation;
        var listeners = new List<ListenerStatus>();
        var anyProgrammed = false;
        foreach (var listener in gateway.Spec.Listeners ?? [])
        {
            var (status, programmed) = ForListener(gateway, listener, served, now);
            listeners.Add(status);
            anyProgrammed |= programmed;
        }
        var pending = served.NotApplied ?? (anyProgrammed ? null : "no listener can be served");
        var programmedCondition = pending is null
            ? Condition("Programmed", true, "Programmed", $"served by the proxies of ApiGateway {Key(served.ApiGateway)}", generation)
            : Condition("Programmed", false, "Pending", pending, generation);
        return new GatewayStatus
        {
            Addresses = served.Addresses.Count == 0 ? null
                : [.. served.Addresses.Select(a => a.Ip is { } ip ? new GatewayAddress { Type = "IPAddress", Value = ip } : new GatewayAddress { Type = "Hostname", Value = a.Hostname! })],
            Conditions = Stamped([Condition("Accepted", true, "Accepted", $"served by ApiGateway {Key(served.ApiGateway)}", generation), programmedCondition],
                gateway.Status?.Conditions, now),
            Listeners = listeners,
        };
    }

    static (ListenerStatus Status, bool Programmed) ForListener(KubernetesGateway gateway, Listener listener, ServedGateways served, DateTimeOffset now)
    {
        var generation = gateway.Metadata.Generation;
        var service = served.ApiGateway.Spec.Proxy.Service;
        var previous = gateway.Status?.Listeners?.FirstOrDefault(l => l.Name == listener.Name)?.Conditions;
        var attached = served.Routes.Count(r => r.Parents.Any(p => p.Listeners.Any(l =>
            l.Gateway.Metadata.NamespaceProperty == gateway.Metadata.NamespaceProperty && l.Gateway.Metadata.Name == gateway.Metadata.Name
            && l.Listener.Name == listener.Name)));
        List<Condition> conditions;
        var supported = listener.Protocol is "HTTP" or "HTTPS";
        var programmed = false;
        if (!supported)
        {
            conditions =
            [
                Condition("Accepted", false, "UnsupportedProtocol", $"the proxies serve HTTP and HTTPS, not {listener.Protocol}", generation),
                Condition("Programmed", false, "Invalid", $"protocol {listener.Protocol} is not served", generation),
            ];
        }
        else if (listener.Port != (listener.Protocol == "HTTP" ? service.Port : service.TlsPort))
        {
            var message = $"ApiGateway {Key(served.ApiGateway)} serves {listener.Protocol} on port {(listener.Protocol == "HTTP" ? service.Port : service.TlsPort)}, not {listener.Port}";
            conditions =
            [
                Condition("Accepted", false, "PortUnavailable", message, generation),
                Condition("Programmed", false, "Invalid", message, generation),
            ];
        }
        else if (listener.Protocol == "HTTPS")
        {
            if (CertificateProblem(gateway, listener, served) is { } problem)
            {
                conditions =
                [
                    Condition("Accepted", true, "Accepted", "listener accepted", generation),
                    Condition("Programmed", false, "Invalid", problem.Message, generation),
                    Condition("ResolvedRefs", false, problem.Reason, problem.Message, generation),
                    Condition("Conflicted", false, "NoConflicts", "no conflicts", generation),
                ];
                return (Listener(listener, supported, attached, conditions, previous, now), false);
            }
            // The certificates are served by SNI on the proxies' TLS listener, which the ApiGateway enables.
            var tlsMissing = served.ApiGateway.Spec.Proxy.Tls is null
                ? $"ApiGateway {Key(served.ApiGateway)} has no TLS listener: set its spec.proxy.tls.secretName"
                : null;
            programmed = tlsMissing is null && served.NotApplied is null;
            conditions =
            [
                Condition("Accepted", true, "Accepted", "listener accepted", generation),
                programmed
                    ? Condition("Programmed", true, "Programmed", "served by the proxies", generation)
                    : Condition("Programmed", false, "Pending", tlsMissing ?? served.NotApplied!, generation),
            ];
        }
        else
        {
            programmed = served.NotApplied is null;
            conditions =
            [
                Condition("Accepted", true, "Accepted", "listener accepted", generation),
                programmed
                    ? Condition("Programmed", true, "Programmed", "served by the proxies", generation)
                    : Condition("Programmed", false, "Pending", served.NotApplied!, generation),
            ];
        }
        // The spec: a kind in allowedRoutes the listener cannot serve is an invalid reference; HTTPRoutes, when
        // also allowed, are still served.
        var invalidKinds = (listener.AllowedRoutes?.Kinds ?? []).Where(k => !ParentAttachment.IsRouteKind(k)).Select(k => $"{k.Group ?? GatewayApiBundle.Group}/{k.Kind}").ToList();
        conditions.Add(invalidKinds.Count == 0
            ? Condition("ResolvedRefs", true, "ResolvedRefs", "all references resolved", generation)
            : Condition("ResolvedRefs", false, "InvalidRouteKinds", $"the listener serves HTTPRoutes only, not {string.Join(", ", invalidKinds)}", generation));
        conditions.Add(Condition("Conflicted", false, "NoConflicts", "no conflicts", generation));
        return (Listener(listener, supported, attached, conditions, previous, now), programmed);
    }

    static ListenerStatus Listener(Listener listener, bool supported, int attached, List<Condition> conditions, IReadOnlyList<Condition>? previous, DateTimeOffset now) => new()
    {
        Name = listener.Name,
        SupportedKinds = supported && ParentAttachment.AllowsKind(listener) ? [HttpRouteKind] : [],
        AttachedRoutes = attached,
        Conditions = Stamped(conditions, previous, now),
    };

    /// <summary>
    /// What is wrong with an HTTPS listener's certificateRefs, as the spec's ResolvedRefs reasons: none given, not a
    /// Secret, a Secret of another namespace no ReferenceGrant lets the Gateway use, or one missing, not a TLS Secret or
    /// malformed.
    /// </summary>
    public static (string Reason, string Message)? CertificateProblem(KubernetesGateway gateway, Listener listener, ServedGateways served)
    {
        var refs = listener.Tls?.CertificateRefs ?? [];
        if (refs.Count == 0)
            return ("InvalidCertificateRef", "an HTTPS listener needs tls.certificateRefs");
        var grants = new ReferenceGrants(served.Grants);
        foreach (var reference in refs)
        {
            var (secretNamespace, refused, reason) = CertificateRefs.Resolve(gateway, reference, grants);
            if (refused is not null)
                return (reason!, refused);
            var secret = served.Secrets.FirstOrDefault(s => s.Metadata.NamespaceProperty == secretNamespace && s.Metadata.Name == reference.Name);
            // The check the translation makes before serving it, so that a malformed Secret is no resolved reference.
            if (Certificates.Problem(secret) is { } problem)
                return ("InvalidCertificateRef", $"Secret {secretNamespace}/{reference.Name} {problem}");
        }
        return null;
    }

    /// <summary>
    /// A route's status: one entry per parentRef naming a Gateway of ours, with Accepted and ResolvedRefs; entries
    /// other controllers wrote stay, and ours for parents the route no longer names go.
    /// </summary>
    public static RouteStatus ForRoute(HttpRoute route, HttpRouteOutcome? outcome, DateTimeOffset now)
    {
        var generation = route.Metadata.Generation;
        var parents = (route.Status?.Parents ?? []).Where(p => p.ControllerName != GatewayBinding.ControllerName).ToList();
        if (outcome is not null)
        {
            var problems = outcome.Result.Problems;
            var unresolved = problems.FirstOrDefault(p => p.Reason is RouteReasons.BackendNotFound or RouteReasons.InvalidKind or RouteReasons.RefNotPermitted or PluginNotReady);
            // Rules left out for what the proxies cannot do: the route is not accepted when that is all its rules,
            // partially invalid when some are still served.
            var refused = problems.Where(p => p.Reason is RouteReasons.UnsupportedValue or RouteReasons.IncompatibleFilters).ToList();
            var refusedRules = refused.Select(p => RuleOf(p.Field)).Distinct().Count();
            var allRefused = refused.Count > 0 && refusedRules >= (route.Spec.Rules?.Count ?? 0);
            foreach (var parent in outcome.Parents.Where(p => p.Gateway is not null))
            {
                var previous = route.Status?.Parents.FirstOrDefault(p => p.ControllerName == GatewayBinding.ControllerName && SameRef(p.ParentRef, parent.Ref))?.Conditions;
                var conditions = new List<Condition>
                {
                    parent.Accepted && allRefused
                        ? Condition("Accepted", false, refused[0].Reason, refused[0].ToString(), generation)
                        : Condition("Accepted", parent.Accepted, parent.Reason, parent.Message, generation),
                    unresolved is null
                        ? Condition("ResolvedRefs", true, RouteReasons.ResolvedRefs, "all references resolved", generation)
                        : Condition("ResolvedRefs", false, unresolved.Reason == PluginNotReady ? RouteReasons.BackendNotFound : unresolved.Reason, unresolved.ToString(), generation),
                };
                if (parent.Accepted && refused.Count > 0 && !allRefused)
                    conditions.Add(Condition("PartiallyInvalid", true, refused[0].Reason, string.Join("; ", refused), generation));
                parents.Add(new RouteParentStatus
                {
                    ParentRef = parent.Ref,
                    ControllerName = GatewayBinding.ControllerName,
                    Conditions = Stamped(conditions, previous, now),
                });
            }
        }
        return new RouteStatus { Parents = parents };
    }

    /// <summary>A plugin named by an ExtensionRef filter that cannot be built (the plugin translation's reason).</summary>
    const string PluginNotReady = "PluginNotReady";

    // "spec.rules[2].filters[0].type" -> 2; -1 for a field outside the rules.
    static int RuleOf(string field)
    {
        const string prefix = "spec.rules[";
        if (!field.StartsWith(prefix, StringComparison.Ordinal))
            return -1;
        var end = field.IndexOf(']', prefix.Length);
        return end > 0 && int.TryParse(field.AsSpan(prefix.Length, end - prefix.Length), out var index) ? index : -1;
    }

    static bool SameRef(ParentReference a, ParentReference b) =>
        a.Name == b.Name && a.Namespace == b.Namespace && a.SectionName == b.SectionName && a.Port == b.Port && a.Kind == b.Kind && a.Group == b.Group;

    static Condition Condition(string type, bool status, string reason, string message, long? generation) =>
        new() { Type = type, Status = status ? "True" : "False", Reason = reason, Message = message, ObservedGeneration = generation };

    static List<Condition> Stamped(List<Condition> conditions, IReadOnlyList<Condition>? previous, DateTimeOffset now) =>
        [.. conditions.Select(c => previous?.FirstOrDefault(p => p.Type == c.Type) is { } before && before.Status == c.Status && before.LastTransitionTime is { } since
            ? c with { LastTransitionTime = since }
            : c with { LastTransitionTime = now })];

    static string Key(ApiGateway gateway) => $"{gateway.Metadata.NamespaceProperty}/{gateway.Metadata.Name}";
}
