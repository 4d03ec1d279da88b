using Gateway.Proxy.Consumers;
using Gateway.Proxy.Entities;

namespace Gateway.Proxy.PluginEngine;

/// <summary>What a handler may use when it is created for a snapshot: the whole configuration, its consumers and credentials, and the node's services.</summary>
public sealed record PluginSetup(ConfigData Config, ConsumerDirectory Consumers, PluginServices Services);
