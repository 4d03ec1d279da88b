using System.Text.Json.Nodes;

namespace Gateway.Operator.Translation.Plugins;

/// <summary>One entity of the declarative document the proxies receive: the array it goes in, and the entity.</summary>
public sealed record KongEntity(string Collection, JsonObject Body);

/// <summary>What became of one source object: programmed, or not, with a reason and a message naming the field.</summary>
public sealed record SourceResult(string Kind, string? Namespace, string Name, bool Programmed, string Reason, string Message);

/// <summary>
/// A Kong route or service that a source object (an Ingress rule, a Service) became, with the plugins annotation
/// of that object: where its plugins are attached.
/// </summary>
public sealed record PluginTarget(string SourceKind, string Namespace, string Name, string Collection, string Id, string? PluginsAnnotation);
