using Gateway.Proxy.Consumers;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Health;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Routing;
using Gateway.Proxy.Tls;

namespace Gateway.Proxy.Snapshots;

/// <summary>
/// Everything the proxy needs to serve one configuration version, compiled ahead of time and never mutated.
/// Requests read one snapshot reference at their start and keep it to their end, so a swap never disturbs them.
/// </summary>
public sealed class ConfigSnapshot
{
    public ConfigSnapshot(ConfigData data, RoutingTable routes, ServerCertificates certificates, ConsumerDirectory consumers,
        UpstreamHealthSet? health = null)
    {
        Data = data;
        Routes = routes;
        Certificates = certificates;
        Consumers = consumers;
        Health = health ?? UpstreamHealthSet.Empty;
    }

    public ConfigData Data { get; }
    public RoutingTable Routes { get; }
    public ServerCertificates Certificates { get; }

    /// <summary>Consumers and their credentials, indexed for authentication.</summary>
    public ConsumerDirectory Consumers { get; }

    /// <summary>Every upstream's targets and their health on this node.</summary>
    public UpstreamHealthSet Health { get; }

    public long Version => Data.Version;

    /// <summary>
    /// Compiles a configuration: routes with their plugin chains, certificates, consumers, upstream health. <paramref name="previous"/>
    /// lets unchanged parts be reused; <paramref name="services"/> are the node's shared plugin services and
    /// <paramref name="targetHealth"/> its target health (without it, health starts afresh with this snapshot).
    /// </summary>
    public static ConfigSnapshot Compile(ConfigData data, ConfigSnapshot? previous = null, PluginServices? services = null,
        TargetHealthRegistry? targetHealth = null)
    {
        var consumers = ConsumerDirectory.Build(data);
        var setup = new PluginSetup(data, consumers, services ?? PluginServices.Default);
        var chains = PluginChainBuilder.Build(data, PluginCatalog.Bundled, setup);
        var health = UpstreamHealthSet.Build(data, targetHealth ?? new TargetHealthRegistry());
        return new ConfigSnapshot(data, RoutingTable.Build(data, chains, health), ServerCertificates.Build(data, previous?.Certificates),
            consumers, health);
    }
}
