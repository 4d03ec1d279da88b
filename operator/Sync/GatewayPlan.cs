using System.Text.Json.Nodes;
using Gateway.Operator.Entities;
using Gateway.Operator.Translation;
using Gateway.Operator.Translation.Plugins;

namespace Gateway.Operator.Sync;

/// <summary>
/// What one gateway's proxies should serve: the scoped document and what became of each source object. Pure: the
/// gateway and the cluster's objects in, the plan out.
/// </summary>
public sealed record GatewayPlan(string OwnerTag, JsonObject Document, IReadOnlyList<SourceResult> Results)
{
    public static GatewayPlan For(ApiGateway gateway, ClusterState cluster)
    {
        var ns = gateway.Metadata.NamespaceProperty ?? "default";
        var className = gateway.Spec.Ingress.ClassName;
        var translation = GatewayTranslation.Translate(new TranslationInput
        {
            GatewayNamespace = ns,
            GatewayName = gateway.Metadata.Name,
            IngressClassName = className,
            IngressClasses = cluster.IngressClasses,
            Ingresses = cluster.Ingresses,
            Services = cluster.Services,
            EndpointSlices = cluster.EndpointSlices,
            Secrets = cluster.Secrets,
        });
        var owner = translation.Configuration.OwnerTag;
        var plugins = PluginTranslator.Translate(new PluginTranslationInput(
            owner,
            cluster.Plugins,
            [.. cluster.ClusterPlugins.Where(p => IsForClass(p.Metadata, className))],
            [.. cluster.Consumers.Where(c => IsForClass(c.Metadata, className))],
            cluster.Secrets,
            translation.PluginTargets));
        var document = SyncDocument.Build(translation.Configuration, plugins);
        return new GatewayPlan(owner, document, [.. translation.Results, .. plugins.Results]);
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
