namespace Gateway.Operator.Translation;

/// <summary>
/// A Kong route or service that a source object (an Ingress rule, a Service) became, with the plugins annotation
/// of that object: where its plugins are attached.
/// </summary>
public sealed record PluginTarget(SourceObject Source, string Collection, string Id, string? PluginsAnnotation)
{
    public const string Annotation = "tollgate.dev/plugins";
    public const string KongAnnotation = "konghq.com/plugins";

    /// <summary>The plugins annotation (ours first, then Kong's spelling), or null when the object names none.</summary>
    public static string? Read(V1ObjectMeta? metadata) =>
        metadata?.Annotations is { } annotations
            ? annotations.TryGetValue(Annotation, out var ours) ? ours : annotations.TryGetValue(KongAnnotation, out var kong) ? kong : null
            : null;
}
