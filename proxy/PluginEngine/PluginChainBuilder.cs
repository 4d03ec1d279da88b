using Gateway.Proxy.Entities;
using Route = Gateway.Proxy.Entities.Route;

namespace Gateway.Proxy.PluginEngine;

/// <summary>
/// Works out, for every route, which configuration of each plugin applies, with Kong's precedence (most specific
/// first): route+service+consumer, route+consumer, service+consumer, route+service, consumer, route, service, global.
/// Pure: configuration in, chains out. Disabled plugins take no part (they neither run nor hide a less specific one).
/// </summary>
public static class PluginChainBuilder
{
    public static IReadOnlyDictionary<Guid, PluginChain> Build(ConfigData config, PluginCatalog catalog, PluginSetup setup)
    {
        var scoped = new ScopedHandlers();
        foreach (var plugin in config.Plugins)
        {
            if (!plugin.Enabled || catalog.Find(plugin.Name!) is not { } definition) continue;
            if (plugin.Consumer is not null && !definition.AllowsConsumer) continue;
            scoped.Add(definition.CreateHandler(plugin, setup));
        }

        var chains = new Dictionary<Guid, PluginChain>();
        if (scoped.IsEmpty) return chains;
        foreach (var route in config.Routes)
        {
            if (ChainFor(route, scoped) is { } chain) chains[route.Id] = chain;
        }
        return chains;
    }

    private static PluginChain? ChainFor(Route route, ScopedHandlers scoped)
    {
        var serviceId = route.Service?.Id;
        var byName = new Dictionary<string, List<PluginHandler>>(StringComparer.Ordinal);
        foreach (var handler in scoped.Candidates(route.Id, serviceId))
        {
            var plugin = handler.Plugin;
            if (plugin.Route is not null && plugin.Route.Id != route.Id) continue;
            if (plugin.Service is not null && plugin.Service.Id != serviceId) continue;
            if (!byName.TryGetValue(plugin.Name!, out var list)) byName[plugin.Name!] = list = [];
            list.Add(handler);
        }
        if (byName.Count == 0) return null;

        var slots = new List<PluginSlot>();
        foreach (var handlers in byName.Values) slots.Add(Slot(handlers));
        slots.Sort((a, b) => b.Definition.Priority != a.Definition.Priority
            ? b.Definition.Priority.CompareTo(a.Definition.Priority)
            : string.CompareOrdinal(a.Definition.Name, b.Definition.Name));
        return new PluginChain(slots.ToArray());
    }

    /// <summary>The winning handler without a consumer, and for each consumer named by one of them, its winner.</summary>
    private static PluginSlot Slot(List<PluginHandler> handlers)
    {
        PluginHandler? general = null;
        Dictionary<Guid, PluginHandler>? byConsumer = null;
        foreach (var handler in handlers)
        {
            if (handler.Plugin.Consumer is null)
            {
                if (general is null || Rank(handler.Plugin) < Rank(general.Plugin)) general = handler;
            }
            else
            {
                byConsumer ??= new Dictionary<Guid, PluginHandler>();
                var consumer = handler.Plugin.Consumer.Id;
                if (!byConsumer.TryGetValue(consumer, out var best) || Rank(handler.Plugin) < Rank(best.Plugin))
                    byConsumer[consumer] = handler;
            }
        }
        // A consumer's own configuration only wins where it is more specific than the general one.
        if (byConsumer is not null && general is not null)
        {
            foreach (var (consumer, handler) in byConsumer.ToArray())
                if (Rank(general.Plugin) < Rank(handler.Plugin)) byConsumer[consumer] = general;
        }
        return new PluginSlot(handlers[0].Definition, general, byConsumer);
    }

    /// <summary>Position in Kong's precedence list: 0 is most specific (route+service+consumer), 7 is global.</summary>
    public static int Rank(Plugin plugin) => (plugin.Route is not null, plugin.Service is not null, plugin.Consumer is not null) switch
    {
        (true, true, true) => 0,
        (true, false, true) => 1,
        (false, true, true) => 2,
        (true, true, false) => 3,
        (false, false, true) => 4,
        (true, false, false) => 5,
        (false, true, false) => 6,
        _ => 7,
    };

    /// <summary>Handlers indexed by the route or service they name, so each route looks only at those that can apply.</summary>
    private sealed class ScopedHandlers
    {
        private readonly Dictionary<Guid, List<PluginHandler>> _byRoute = new();
        private readonly Dictionary<Guid, List<PluginHandler>> _byService = new();
        private readonly List<PluginHandler> _unscoped = [];

        public bool IsEmpty => _byRoute.Count == 0 && _byService.Count == 0 && _unscoped.Count == 0;

        public void Add(PluginHandler handler)
        {
            var plugin = handler.Plugin;
            if (plugin.Route is not null) Append(_byRoute, plugin.Route.Id, handler);
            else if (plugin.Service is not null) Append(_byService, plugin.Service.Id, handler);
            else _unscoped.Add(handler);
        }

        public IEnumerable<PluginHandler> Candidates(Guid route, Guid? service)
        {
            if (_byRoute.TryGetValue(route, out var forRoute)) foreach (var h in forRoute) yield return h;
            if (service is { } s && _byService.TryGetValue(s, out var forService)) foreach (var h in forService) yield return h;
            foreach (var h in _unscoped) yield return h;
        }

        private static void Append(Dictionary<Guid, List<PluginHandler>> index, Guid key, PluginHandler handler)
        {
            if (!index.TryGetValue(key, out var list)) index[key] = list = [];
            list.Add(handler);
        }
    }
}
