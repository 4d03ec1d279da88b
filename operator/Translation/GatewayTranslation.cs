using Gateway.Operator.Translation.GatewayApi;

namespace Gateway.Operator.Translation;

/// <summary>
/// The configuration of one ApiGateway, what became of each source object, and the routes and services whose source
/// objects name plugins (for the plugin translation).
/// </summary>
public sealed record TranslationOutput(GatewayConfiguration Configuration, IReadOnlyList<SourceResult> Results, IReadOnlyList<PluginTarget> PluginTargets)
{
    /// <summary>Each HTTPRoute attached to a served Gateway, with where it attached: what its status is written from.</summary>
    public IReadOnlyList<HttpRouteOutcome> HttpRoutes { get; init; } = [];
}

/// <summary>
/// Translates the Kubernetes objects an ApiGateway serves into its Kong configuration. Pure: objects in, entities and
/// one result per source object (each Ingress it serves, each Service those route to) out. Objects are taken in
/// sorted order, so the same objects in any order give the same output.
/// </summary>
public static class GatewayTranslation
{
    public static TranslationOutput Translate(TranslationInput input)
    {
        var config = new ConfigurationBuilder(SourceTags.Owner(input.GatewayNamespace, input.GatewayName));
        var backends = new Backends(input, config);
        var certificates = new Certificates(input, config);
        var ingresses = new IngressTranslator(backends, certificates, config);

        var results = new List<SourceResult>();
        foreach (var ingress in input.Ingresses
                     .Where(i => IngressClassSelection.IsServed(i, input.IngressClassName, input.IngressClasses))
                     .OrderBy(i => Backends.Namespace(i.Metadata), StringComparer.Ordinal)
                     .ThenBy(i => i.Metadata.Name, StringComparer.Ordinal))
            results.Add(ingresses.Translate(ingress));
        var routes = new HttpRouteTranslator(new ParentAttachment(input.Gateways, input.Namespaces),
            new RuleBackends(backends, new ReferenceGrants(input.ReferenceGrants), config), config);
        var routeOutcomes = new List<HttpRouteOutcome>();
        foreach (var route in input.HttpRoutes
                     .OrderBy(r => Backends.Namespace(r.Metadata), StringComparer.Ordinal)
                     .ThenBy(r => r.Metadata.Name, StringComparer.Ordinal))
        {
            var outcome = routes.Translate(route);
            if (outcome.Parents.All(p => p.Gateway is null)) continue;
            routeOutcomes.Add(outcome);
            results.Add(outcome.Result);
        }
        routes.AddRoutes();
        results.AddRange(backends.Results());
        ListenerCertificates(input, certificates);

        results.Sort((a, b) => string.CompareOrdinal(Key(a.Source), Key(b.Source)));
        return new TranslationOutput(config.Build(), results, config.PluginTargets()) { HttpRoutes = routeOutcomes };
    }

    // The certificates of the served Gateways' HTTPS listeners, from the Secrets their references may use; what is wrong
    // with a reference is the listener's ResolvedRefs condition, written from the same checks.
    private static void ListenerCertificates(TranslationInput input, Certificates certificates)
    {
        var grants = new ReferenceGrants(input.ReferenceGrants);
        var problems = new List<Problem>();
        foreach (var gateway in input.Gateways.OrderBy(g => Backends.Namespace(g.Metadata), StringComparer.Ordinal).ThenBy(g => g.Metadata.Name, StringComparer.Ordinal))
        {
            foreach (var listener in (gateway.Spec.Listeners ?? []).Where(l => l.Protocol == "HTTPS"))
            {
                foreach (var reference in listener.Tls?.CertificateRefs ?? [])
                {
                    var (secretNamespace, problem, _) = CertificateRefs.Resolve(gateway, reference, grants);
                    if (problem is null)
                        certificates.Add(gateway, listener, secretNamespace, reference.Name, problems);
                }
            }
        }
    }

    private static string Key(SourceObject source) => $"{source.Kind}/{source.Namespace}/{source.Name}";
}
