using System.Text.Json.Nodes;
using Gateway.Operator.GatewayApi;

namespace Gateway.Operator.Translation.GatewayApi;

/// <summary>
/// The backends of one HTTPRoute rule as one Kong upstream whose targets are the endpoints of every Service the rule
/// names, each weighted so the Services share the rule's requests as their <c>weight</c>s say (a weight of 0 sends
/// nothing). A backend that cannot be used (missing, of another kind, in a namespace that grants no access) is a
/// problem and gets no targets; its share of the weights is told (<see cref="RuleService.InvalidShare"/>), for the
/// routes to answer that share 500 themselves, as they answer all requests of a rule with no usable backend
/// (<see cref="RuleService.Usable"/>).
/// </summary>
internal sealed class RuleBackends(Backends backends, ReferenceGrants grants, ConfigurationBuilder config)
{
    /// <summary>The weight units one rule's requests are divided into, before spreading over each Service's endpoints.</summary>
    private const int Scale = 10000;

    /// <param name="path">The service's path: what replaces a prefix the routes strip, or null.</param>
    public RuleService Build(HttpRoute route, int ruleIndex, HttpRouteRule rule, string[] tags, List<Problem> problems, string? path = null)
    {
        var usable = false;
        long invalid = 0;
        var ns = Backends.Namespace(route.Metadata);
        var key = $"HTTPRoute/{ns}/{route.Metadata.Name}/rules/{ruleIndex}";
        var refs = rule.BackendRefs ?? [];
        var total = refs.Sum(r => (long)Math.Max(r.Weight ?? 1, 0));
        var weights = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < refs.Count; i++)
        {
            var before = problems.Count;
            var targets = Resolve(ns, refs[i], $"spec.rules[{ruleIndex}].backendRefs[{i}]", problems);
            var weight = Math.Max(refs[i].Weight ?? 1, 0);
            // A Service without ready endpoints is usable: the proxy answers its share 503, as the spec prefers.
            usable |= problems.Count == before && weight > 0;
            if (problems.Count != before) invalid += weight;
            if (targets is not { Count: > 0 } || weight == 0) continue;
            var each = (int)Math.Clamp(weight * Scale / total / targets.Count, 1, 65535);
            foreach (var address in targets)
                weights[address] = Math.Min(weights.GetValueOrDefault(address) + each, 65535);
        }

        var upstream = new KongUpstream { Id = EntityIds.For("upstreams", key), Name = $"{route.Metadata.Name}.{ns}.{ruleIndex}.httproute", Tags = tags };
        config.Add(upstream);
        foreach (var (address, weight) in weights)
        {
            config.Add(new KongTarget
            {
                Id = EntityIds.For("targets", key + "/" + address),
                Address = address,
                Weight = weight,
                Upstream = new KongRef(upstream.Id),
                Tags = tags,
            });
        }
        var timeout = Durations.Milliseconds(rule.Timeouts?.BackendRequest ?? rule.Timeouts?.Request);
        var service = new KongService
        {
            Id = EntityIds.For("services", key),
            Name = $"{ns}.{route.Metadata.Name}.{ruleIndex}",
            Host = upstream.Name,
            Port = 80,
            Path = path,
            ConnectTimeout = timeout ?? KongService.DefaultTimeout,
            ReadTimeout = timeout ?? KongService.DefaultTimeout,
            WriteTimeout = timeout ?? KongService.DefaultTimeout,
            Tags = tags,
        };
        config.Add(service);
        return new RuleService(new KongRef(service.Id), usable, total == 0 ? 0 : (double)invalid / total);
    }

    /// <summary>
    /// One mirror of the proxy's request-mirror configuration for a RequestMirror filter: the endpoints of its backend and
    /// the share of requests copied; null when its backend cannot be used (a problem says why; the rule is served
    /// without its copies) or has no ready endpoint.
    /// </summary>
    public JsonObject? Mirror(HttpRoute route, HttpRequestMirrorFilter mirror, string field, List<Problem> problems)
    {
        var percent = mirror.Percent ?? (mirror.Fraction is { } fraction ? Share(fraction, field + ".fraction", problems) : 100);
        if (percent is not { } share) return null;
        var targets = Resolve(Backends.Namespace(route.Metadata), mirror.BackendRef, field + ".backendRef", problems);
        if (targets is not { Count: > 0 }) return null;
        return new JsonObject
        {
            ["targets"] = new JsonArray([.. targets.Order(StringComparer.Ordinal).Select(t => (JsonNode)t)]),
            ["percent"] = Math.Clamp(share, 0, 100),
        };
    }

    private static double? Share(MirrorFraction fraction, string field, List<Problem> problems)
    {
        var denominator = fraction.Denominator ?? 100;
        if (denominator > 0 && fraction.Numerator >= 0 && fraction.Numerator <= denominator)
            return Math.Round(100.0 * fraction.Numerator / denominator, 6);
        problems.Add(new Problem(field, RouteReasons.UnsupportedValue, $"a fraction of {fraction.Numerator}/{denominator} is no share of requests"));
        return null;
    }

    private IReadOnlyCollection<string>? Resolve(string routeNamespace, BackendObjectReference backend, string field, List<Problem> problems)
    {
        if ((backend.Group ?? "") != "" || (backend.Kind ?? "Service") != "Service")
        {
            problems.Add(new Problem(field, RouteReasons.InvalidKind, $"unsupported backend kind \"{backend.Kind}\" of group \"{backend.Group}\": only Services"));
            return null;
        }
        var ns = backend.Namespace ?? routeNamespace;
        if (ns != routeNamespace && !grants.Permits(routeNamespace, ParentAttachment.RouteKind, ns, "", "Service", backend.Name))
        {
            problems.Add(new Problem(field + ".namespace", RouteReasons.RefNotPermitted,
                $"no ReferenceGrant in namespace \"{ns}\" lets HTTPRoutes of namespace \"{routeNamespace}\" refer to Service \"{backend.Name}\""));
            return null;
        }
        if (backend.Port is not { } port)
        {
            problems.Add(new Problem(field + ".port", RouteReasons.BackendNotFound, "required for a Service"));
            return null;
        }
        var (targets, problem) = backends.Endpoints(ns, backend.Name, port);
        if (problem is not null) problems.Add(new Problem(field, RouteReasons.BackendNotFound, problem));
        return targets;
    }
}

/// <summary>The Kong service of a rule, whether any of its backends can take requests, and the share of the rule's weight on those that cannot.</summary>
internal sealed record RuleService(KongRef Service, bool Usable, double InvalidShare);

/// <summary>Whether a namespace's ReferenceGrants let objects of another namespace refer to one of its objects.</summary>
public sealed class ReferenceGrants(IReadOnlyList<ReferenceGrant> grants)
{
    public bool Permits(string fromNamespace, string fromKind, string toNamespace, string toGroup, string toKind, string toName) =>
        grants.Any(g => Backends.Namespace(g.Metadata) == toNamespace
                        && g.Spec.From.Any(f => f.Group == GatewayApiBundle.Group && f.Kind == fromKind && f.Namespace == fromNamespace)
                        && g.Spec.To.Any(t => t.Group == toGroup && t.Kind == toKind && (t.Name is null || t.Name == toName)));
}

/// <summary>Where a listener's certificateRef points, and whether the Gateway may use it.</summary>
public static class CertificateRefs
{
    /// <summary>The Secret's namespace, and null when the ref is no Secret or one of another namespace no grant allows.</summary>
    public static (string Namespace, string? Problem, string? Reason) Resolve(KubernetesGateway gateway, SecretObjectReference reference, ReferenceGrants grants)
    {
        var ns = Backends.Namespace(gateway.Metadata);
        var secretNamespace = reference.Namespace ?? ns;
        if ((reference.Group ?? "") != "" || (reference.Kind ?? "Secret") != "Secret")
            return (secretNamespace, $"certificateRef {reference.Name} is a {reference.Kind} of group \"{reference.Group}\", not a Secret", "InvalidCertificateRef");
        if (secretNamespace != ns && !grants.Permits(ns, "Gateway", secretNamespace, "", "Secret", reference.Name))
            return (secretNamespace, $"no ReferenceGrant in namespace {secretNamespace} lets Gateways of {ns} use Secret {reference.Name}", "RefNotPermitted");
        return (secretNamespace, null, null);
    }
}

/// <summary>The spec's durations (<c>1h</c>, <c>10s</c>, <c>1m30s</c>, <c>500ms</c>) in milliseconds.</summary>
public static class Durations
{
    public static int? Milliseconds(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var match = System.Text.RegularExpressions.Regex.Match(text, "^(?:([0-9]{1,5})(h|ms|m|s))+$");
        if (!match.Success) return null;
        long total = 0;
        for (var i = 0; i < match.Groups[1].Captures.Count; i++)
        {
            var amount = long.Parse(match.Groups[1].Captures[i].Value, System.Globalization.CultureInfo.InvariantCulture);
            total += amount * match.Groups[2].Captures[i].Value switch { "h" => 3_600_000, "m" => 60_000, "s" => 1000, _ => 1 };
        }
        // Zero turns the timeout off in the spec; the proxy's timeouts are at least 1 ms, so the longest it takes stands in.
        return total == 0 ? int.MaxValue : (int)Math.Min(total, int.MaxValue);
    }
}
