using System.Text.Json.Nodes;

namespace Gateway.Operator.Translation.Plugins;

/// <summary>One entity of the declarative document the proxies receive: the array it goes in, and the entity.</summary>
public sealed record KongEntity(string Collection, JsonObject Body);

/// <summary>
/// A Kong route or service that a source object (an Ingress rule, a Service) became, with the plugins annotation
/// of that object: where its plugins are attached.
/// </summary>
public sealed record PluginTarget(SourceObject Source, string Collection, string Id, string? PluginsAnnotation);
