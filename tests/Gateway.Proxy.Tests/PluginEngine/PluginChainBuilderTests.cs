using Gateway.Proxy.Consumers;
using Gateway.Proxy.Entities;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Schema;
using Route = Gateway.Proxy.Entities.Route;

namespace Gateway.Proxy.Tests.PluginEngine;

/// <summary>
/// Kong's precedence, one level per test: for each level, the configuration of that level is present together with
/// every less specific one, and must be the one chosen for the request's route, service and consumer.
/// </summary>
public sealed class PluginChainBuilderTests
{
    private static readonly PluginCatalog Catalog = new([Probe.Registration, Early.Registration]);

    private readonly Service _service = new() { Id = Guid.NewGuid(), Name = "svc", Host = "svc.internal" };
    private readonly Service _otherService = new() { Id = Guid.NewGuid(), Name = "other", Host = "other.internal" };
    private readonly Route _route;
    private readonly Route _otherRoute;
    private readonly Consumer _consumer = new() { Id = Guid.NewGuid(), Username = "alice" };
    private readonly Consumer _otherConsumer = new() { Id = Guid.NewGuid(), Username = "bob" };

    public PluginChainBuilderTests()
    {
        _route = new Route { Id = Guid.NewGuid(), Name = "r", Paths = ["/r"], Service = new EntityRef(_service.Id) };
        _otherRoute = new Route { Id = Guid.NewGuid(), Name = "o", Paths = ["/o"], Service = new EntityRef(_service.Id) };
    }

    // The levels, most specific first: (route, service, consumer) scope of the configuration.
    public static TheoryData<int> Levels => new() { 0, 1, 2, 3, 4, 5, 6, 7 };

    [Theory]
    [MemberData(nameof(Levels))]
    public void The_most_specific_configuration_wins_for_a_consumer(int level)
    {
        var plugins = new List<Plugin>();
        for (var l = level; l <= 7; l++) plugins.Add(ProbeAt(l));

        var slot = SlotFor(_route, plugins);

        Assert.Equal($"level {level}", Label(slot.Resolve(_consumer.Id)));
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Without_the_consumer_only_consumer_free_levels_count(int level)
    {
        var plugins = new List<Plugin>();
        for (var l = level; l <= 7; l++) plugins.Add(ProbeAt(l));

        var slot = SlotFor(_route, plugins);

        var expected = Enumerable.Range(level, 8 - level).First(l => l is 3 or 5 or 6 or 7);
        Assert.Equal($"level {expected}", Label(slot.Resolve(null)));
        Assert.Equal($"level {expected}", Label(slot.Resolve(_otherConsumer.Id)));
    }

    [Fact]
    public void Route_and_service_beat_a_consumer_only_configuration()
    {
        var slot = SlotFor(_route, [ProbeAt(4), ProbeAt(3)]);

        Assert.Equal("level 3", Label(slot.Resolve(_consumer.Id)));
    }

    [Fact]
    public void A_consumer_only_configuration_beats_route_service_and_global_ones()
    {
        var slot = SlotFor(_route, [ProbeAt(7), ProbeAt(6), ProbeAt(5), ProbeAt(4)]);

        Assert.Equal("level 4", Label(slot.Resolve(_consumer.Id)));
        Assert.Equal("level 5", Label(slot.Resolve(_otherConsumer.Id)));
    }

    [Fact]
    public void Configurations_of_other_routes_and_services_do_not_apply()
    {
        var plugins = new List<Plugin>
        {
            Probe.Entity("other route", route: _otherRoute.Id),
            Probe.Entity("other service", service: _otherService.Id),
            Probe.Entity("global"),
        };

        var slot = SlotFor(_route, plugins);

        Assert.Equal("global", Label(slot.Resolve(null)));
    }

    [Fact]
    public void A_disabled_configuration_neither_runs_nor_hides_a_less_specific_one()
    {
        var plugins = new List<Plugin>
        {
            Probe.Entity("route, disabled", route: _route.Id) with { Enabled = false },
            Probe.Entity("global"),
        };

        Assert.Equal("global", Label(SlotFor(_route, plugins).Resolve(null)));
    }

    [Fact]
    public void Plugins_run_highest_priority_first()
    {
        var chains = Build([Probe.Entity("probe"), Early.Entity("early")]);

        var names = chains[_route.Id].Slots.Select(s => s.Definition.Name).ToArray();

        Assert.Equal(["early", "probe"], names);
    }

    [Fact]
    public void A_route_without_any_applicable_plugin_has_no_chain()
    {
        var chains = Build([Probe.Entity("other route", route: _otherRoute.Id)]);

        Assert.False(chains.ContainsKey(_route.Id));
        Assert.True(chains.ContainsKey(_otherRoute.Id));
    }

    [Fact]
    public void A_consumer_scoped_configuration_of_a_plugin_that_forbids_it_is_ignored()
    {
        var chains = Build([Early.Entity("early for alice", consumer: _consumer.Id)]);

        Assert.False(chains.ContainsKey(_route.Id));
    }

    private Plugin ProbeAt(int level) => level switch
    {
        0 => Probe.Entity("level 0", route: _route.Id, service: _service.Id, consumer: _consumer.Id),
        1 => Probe.Entity("level 1", route: _route.Id, consumer: _consumer.Id),
        2 => Probe.Entity("level 2", service: _service.Id, consumer: _consumer.Id),
        3 => Probe.Entity("level 3", route: _route.Id, service: _service.Id),
        4 => Probe.Entity("level 4", consumer: _consumer.Id),
        5 => Probe.Entity("level 5", route: _route.Id),
        6 => Probe.Entity("level 6", service: _service.Id),
        _ => Probe.Entity("level 7"),
    };

    private PluginSlot SlotFor(Route route, List<Plugin> plugins) => Assert.Single(Build(plugins)[route.Id].Slots);

    private Dictionary<Guid, PluginChain> Build(List<Plugin> plugins)
    {
        var entities = new List<Entity> { _service, _otherService, _route, _otherRoute, _consumer, _otherConsumer };
        entities.AddRange(plugins);
        var config = ConfigData.From(1, entities);
        var setup = new PluginSetup(config, ConsumerDirectory.Build(config), PluginServices.Default);
        return new Dictionary<Guid, PluginChain>(PluginChainBuilder.Build(config, Catalog, setup));
    }

    private static string? Label(PluginHandler? handler) => (handler as Probe)?.Label;

    public sealed record ProbeConfig
    {
        public string Label { get; init; } = "";
    }

    /// <summary>A plugin that does nothing but carry the label of the configuration it was made from.</summary>
    private sealed class Probe(string label) : PluginHandler
    {
        public static readonly PluginDefinition Registration =
            PluginDefinition.Create<ProbeConfig>("probe", 900, (config, _) => new Probe(config.Label));

        public string Label { get; } = label;

        public static Plugin Entity(string label, Guid? route = null, Guid? service = null, Guid? consumer = null) =>
            Make("probe", label, route, service, consumer);
    }

    /// <summary>A higher-priority plugin that, like authentication plugins, cannot be scoped to a consumer.</summary>
    private sealed class Early : PluginHandler
    {
        public static readonly PluginDefinition Registration =
            PluginDefinition.Create<ProbeConfig>("early", 2000, (_, _) => new Early(), allowsConsumer: false);

        public static Plugin Entity(string label, Guid? consumer = null) => Make("early", label, null, null, consumer);
    }

    private static Plugin Make(string name, string label, Guid? route, Guid? service, Guid? consumer) => new()
    {
        Id = Guid.NewGuid(),
        Name = name,
        Config = new System.Text.Json.Nodes.JsonObject { ["label"] = label },
        Route = route is { } r ? new EntityRef(r) : null,
        Service = service is { } s ? new EntityRef(s) : null,
        Consumer = consumer is { } c ? new EntityRef(c) : null,
    };
}
