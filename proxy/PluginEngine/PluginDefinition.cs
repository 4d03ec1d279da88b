using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.PluginEngine;

/// <summary>
/// One plugin this build can run: its name, its place in the execution order (higher priority runs first, as in
/// Kong), the schema of its config record, whether it may be scoped to a consumer, and how a configured plugin
/// entity becomes a handler.
/// </summary>
public sealed class PluginDefinition
{
    private readonly Func<Plugin, JsonObject, PluginSetup, PluginHandler> _create;

    private PluginDefinition(string name, int priority, RecordSchema configSchema, bool allowsConsumer,
        Func<Plugin, JsonObject, PluginSetup, PluginHandler> create)
    {
        Name = name;
        Priority = priority;
        ConfigSchema = configSchema;
        AllowsConsumer = allowsConsumer;
        _create = create;
    }

    public string Name { get; }
    public int Priority { get; }
    public RecordSchema ConfigSchema { get; }

    /// <summary>False for plugins that run before the consumer is known (authentication, cors): Kong's no_consumer.</summary>
    public bool AllowsConsumer { get; }

    /// <summary>A definition whose config is the record <typeparamref name="TConfig"/>.</summary>
    public static PluginDefinition Create<TConfig>(string name, int priority, Func<TConfig, PluginSetup, PluginHandler> create,
        bool allowsConsumer = true) where TConfig : class =>
        new(name, priority, RecordSchema.For<TConfig>(), allowsConsumer,
            (_, config, setup) => create(EntityJson.FromNode<TConfig>(config), setup));

    /// <summary>The handler of one configured plugin entity; its config gets the schema's defaults first.</summary>
    public PluginHandler CreateHandler(Plugin plugin, PluginSetup setup)
    {
        var config = ConfigSchema.WithDefaults(plugin.Config ?? new JsonObject());
        var handler = _create(plugin, config, setup);
        handler.Attach(plugin, this);
        return handler;
    }
}
