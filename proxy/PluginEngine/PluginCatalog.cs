using Gateway.Proxy.Admin;

namespace Gateway.Proxy.PluginEngine;

/// <summary>The plugins a node runs. <see cref="Bundled"/> holds every plugin shipped with the gateway.</summary>
public sealed class PluginCatalog
{
    private readonly Dictionary<string, PluginDefinition> _byName;

    public PluginCatalog(IEnumerable<PluginDefinition> definitions)
    {
        _byName = new Dictionary<string, PluginDefinition>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            if (!_byName.TryAdd(definition.Name, definition))
                throw new ArgumentException($"two plugins are named '{definition.Name}'");
        }
        All = _byName.Values.OrderByDescending(d => d.Priority).ThenBy(d => d.Name, StringComparer.Ordinal).ToArray();
    }

    public static PluginCatalog Bundled { get; } = new(BundledPlugins.All);

    /// <summary>Every plugin, in execution order.</summary>
    public IReadOnlyList<PluginDefinition> All { get; }

    public PluginDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>What the Admin API needs to accept and check plugin entities.</summary>
    public IReadOnlyList<AdminPlugin> ForAdminApi() =>
        All.Select(d => new AdminPlugin(d.Name, d.ConfigSchema, d.Priority, d.AllowsConsumer)).ToArray();
}
