using System.Text.Json.Nodes;

namespace Gateway.Operator.Translation.Plugins;

/// <summary>One entity of the declarative document the proxies receive: the array it goes in, and the entity.</summary>
public sealed record KongEntity(string Collection, JsonObject Body);
