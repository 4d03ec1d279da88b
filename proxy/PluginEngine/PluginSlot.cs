namespace Gateway.Proxy.PluginEngine;

/// <summary>
/// One plugin name in a route's chain: the handler that applies when no consumer-specific configuration does, and
/// the consumer-specific ones, each already resolved by Kong's precedence. Choosing costs one dictionary lookup.
/// </summary>
public sealed class PluginSlot
{
    public PluginSlot(PluginDefinition definition, PluginHandler? general, IReadOnlyDictionary<Guid, PluginHandler>? byConsumer)
    {
        Definition = definition;
        General = general;
        ByConsumer = byConsumer;
    }

    public PluginDefinition Definition { get; }

    /// <summary>The most specific configuration without a consumer (route+service, route, service or global); may be null.</summary>
    public PluginHandler? General { get; }

    /// <summary>For consumers with a configuration of their own: the handler that wins for them.</summary>
    public IReadOnlyDictionary<Guid, PluginHandler>? ByConsumer { get; }

    public PluginHandler? Resolve(Guid? consumer)
    {
        if (consumer is { } id && ByConsumer is not null && ByConsumer.TryGetValue(id, out var specific)) return specific;
        return General;
    }
}
