namespace Gateway.Operator.Translation;

/// <summary>
/// The configuration of one ApiGateway, what became of each source object, and the routes and services whose source
/// objects name plugins (for the plugin translation).
/// </summary>
public sealed record TranslationOutput(GatewayConfiguration Configuration, IReadOnlyList<SourceResult> Results, IReadOnlyList<PluginTarget> PluginTargets);

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
        var ingresses = new IngressTranslator(backends, new Certificates(input, config), config);

        var results = new List<SourceResult>();
        foreach (var ingress in input.Ingresses
                     .Where(i => IngressClassSelection.IsServed(i, input.IngressClassName, input.IngressClasses))
                     .OrderBy(i => Backends.Namespace(i.Metadata), StringComparer.Ordinal)
                     .ThenBy(i => i.Metadata.Name, StringComparer.Ordinal))
            results.Add(ingresses.Translate(ingress));
        results.AddRange(backends.Results());

        results.Sort((a, b) => string.CompareOrdinal(Key(a.Source), Key(b.Source)));
        return new TranslationOutput(config.Build(), results, config.PluginTargets());
    }

    private static string Key(SourceObject source) => $"{source.Kind}/{source.Namespace}/{source.Name}";
}
