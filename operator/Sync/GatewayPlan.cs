using System.Text.Json.Nodes;
using Gateway.Operator.Builders;
using Gateway.Operator.Entities;
using Gateway.Operator.GatewayApi;
using Gateway.Operator.Translation;
using Gateway.Operator.Translation.GatewayApi;
using Gateway.Operator.Translation.Plugins;

namespace Gateway.Operator.Sync;

/// <summary>
/// What one gateway's proxies should serve: the scoped document and what became of each source object. Pure: the
/// gateway, the cluster's objects and what the proxy refused of them so far in, the plan out.
/// </summary>
public sealed record GatewayPlan(string OwnerTag, JsonObject Document, IReadOnlyList<SourceResult> Results)
{
    /// <summary>The Gateways this ApiGateway serves.</summary>
    public IReadOnlyList<KubernetesGateway> Gateways { get; init; } = [];

    /// <summary>Each HTTPRoute attached to one of them, with where it attached: what their status is written from.</summary>
    public IReadOnlyList<HttpRouteOutcome> HttpRoutes { get; init; } = [];

    static readonly Dictionary<(string, string, string), Problem> NoRefusals = [];

    /// <summary>
    /// The plan, leaving out what the proxy <paramref name="refused"/> (by source kind, namespace, name): a refused
    /// plugin withholds what names it, as any plugin that cannot be built; any other refused source is taken out with
    /// everything that refers to it. A refused credential's Secret is reported on the consumers that list it.
    /// </summary>
    public static GatewayPlan For(ApiGateway gateway, ClusterState cluster, IReadOnlyDictionary<(string Kind, string Namespace, string Name), Problem>? refused = null)
    {
        refused ??= NoRefusals;
        var ns = gateway.Metadata.NamespaceProperty ?? "default";
        var className = gateway.Spec.Ingress.ClassName;
        var served = cluster.Gateways.Where(g => GatewayBinding.Serves(gateway, g, cluster.GatewayClasses)).ToList();
        var translation = GatewayTranslation.Translate(new TranslationInput
        {
            GatewayNamespace = ns,
            GatewayName = gateway.Metadata.Name,
            IngressClassName = className,
            // A class another gateway holds is not this one's to serve, though this one names it too (and is Stalled).
            IngressClasses = [.. cluster.IngressClasses.Where(c => c.Metadata.Name != className || IngressClassBuilder.BelongsTo(c, gateway))],
            Ingresses = cluster.Ingresses,
            Services = cluster.Services,
            EndpointSlices = cluster.EndpointSlices,
            Secrets = cluster.Secrets,
            Gateways = served,
            HttpRoutes = cluster.HttpRoutes,
            ReferenceGrants = cluster.ReferenceGrants,
            Namespaces = cluster.Namespaces,
        });
        var owner = translation.Configuration.OwnerTag;
        var plugins = PluginTranslator.Translate(new PluginTranslationInput(
            owner,
            cluster.Plugins,
            [.. cluster.ClusterPlugins.Where(p => IsForClass(p.Metadata, className))],
            [.. cluster.Consumers.Where(c => IsForClass(c.Metadata, className))],
            cluster.Secrets,
            translation.PluginTargets) { Refused = refused });
        var document = SyncDocument.Build(translation.Configuration, plugins);
        var results = new List<SourceResult>([.. translation.Results, .. plugins.Results]);
        var others = refused.Where(r => !IsPlugin(r.Key.Kind)).ToList();
        if (others.Count > 0)
            document = DocumentPruning.Without(document, others.Select(r => r.Key).ToHashSet());
        foreach (var (source, problem) in others)
            Attribute(results, source, problem, cluster);
        return new GatewayPlan(owner, document, Merged(results)) { Gateways = served, HttpRoutes = translation.HttpRoutes };
    }

    // An Ingress has a result from its translation and another when its plugins cannot be built: one per object.
    static List<SourceResult> Merged(List<SourceResult> results) =>
        [.. results.GroupBy(r => (r.Source.Kind, r.Source.Namespace, r.Source.Name))
            .Select(g => g.Skip(1).Aggregate(g.First(), (all, next) => all with { Problems = [.. all.Problems, .. next.Problems] }))];

    /// <summary>The problem a refusal of <paramref name="kind"/>'s entities is, at the field the user would fix.</summary>
    public static Problem Refusal(string kind, IEnumerable<string> messages) => new(
        kind switch
        {
            "TollgatePlugin" or "TollgateClusterPlugin" => "config",
            "TollgateConsumer" or "Secret" => "credentials",
            _ => "spec",
        },
        SyncVerdict.RejectedReason,
        "the gateway refused it: " + string.Join("; ", messages));

    static bool IsPlugin(string kind) => kind is "TollgatePlugin" or "TollgateClusterPlugin";

    // Credentials are tagged with their Secret, which has no status: the consumers listing it answer for it.
    static void Attribute(List<SourceResult> results, (string Kind, string Namespace, string Name) source, Problem problem, ClusterState cluster)
    {
        var owners = source.Kind == "Secret"
            ? cluster.Consumers.Where(c => (c.Metadata.NamespaceProperty ?? "") == source.Namespace && c.Credentials?.Contains(source.Name) == true)
                .Select(c => (c.Kind, source.Namespace, c.Metadata.Name!)).ToList()
            : [source];
        foreach (var owner in owners)
        {
            var index = results.FindIndex(r => (r.Source.Kind, r.Source.Namespace, r.Source.Name) == owner);
            if (index >= 0)
                results[index] = results[index] with { Problems = [.. results[index].Problems, problem] };
        }
    }

    /// <summary>
    /// Consumers and cluster plugins are not reached through an Ingress, so they name the class of the gateway they
    /// belong to with the <c>kubernetes.io/ingress.class</c> annotation, as Kong Ingress Controller's have it; one
    /// that names no class belongs to every gateway.
    /// </summary>
    public static bool IsForClass(V1ObjectMeta metadata, string className) =>
        metadata.Annotations?.TryGetValue(IngressClassSelection.LegacyClassAnnotation, out var named) != true
        || string.IsNullOrEmpty(named) || named == className;
}
