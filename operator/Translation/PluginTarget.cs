using Gateway.Operator.Translation.Plugins;

namespace Gateway.Operator.Translation;

/// <summary>
/// A Kong route or service that a source object (an Ingress rule, a Service, an HTTPRoute rule) became, with the
/// plugins that object asks for there: those its plugins annotation names, the plugin resources its fields name
/// (<see cref="References"/>), and plugins its own fields configure (<see cref="Plugins"/>). All are served with
/// the route or service, or withheld with it when one of them cannot be built.
/// </summary>
public sealed record PluginTarget(SourceObject Source, string Collection, string Id, string? PluginsAnnotation)
{
    public const string Annotation = "tollgate.dev/plugins";
    public const string KongAnnotation = "konghq.com/plugins";

    /// <summary>Plugin entities the source object configures itself (an HTTPRoute's filters), already scoped to <see cref="Id"/>.</summary>
    public IReadOnlyList<KongEntity> Plugins { get; init; } = [];

    /// <summary>TollgatePlugins of the source object's namespace its fields name (an HTTPRoute's ExtensionRef filters).</summary>
    public IReadOnlyList<PluginReference> References { get; init; } = [];

    /// <summary>The plugins annotation (ours first, then Kong's spelling), or null when the object names none.</summary>
    public static string? Read(V1ObjectMeta? metadata) =>
        metadata?.Annotations is { } annotations
            ? annotations.TryGetValue(Annotation, out var ours) ? ours : annotations.TryGetValue(KongAnnotation, out var kong) ? kong : null
            : null;
}

/// <summary>A TollgatePlugin named by a field of a source object, and that field (for the problem when it cannot be built).</summary>
public sealed record PluginReference(string Name, string Field);
