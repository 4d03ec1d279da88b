using Gateway.Proxy.Entities;
using Gateway.Proxy.Routing;
using Gateway.Proxy.Tls;

namespace Gateway.Proxy.Snapshots;

/// <summary>
/// Everything the proxy needs to serve one configuration version, compiled ahead of time and never mutated.
/// Requests read one snapshot reference at their start and keep it to their end, so a swap never disturbs them.
/// </summary>
public sealed class ConfigSnapshot
{
    public ConfigSnapshot(ConfigData data, RoutingTable routes, ServerCertificates certificates)
    {
        Data = data;
        Routes = routes;
        Certificates = certificates;
    }

    public ConfigData Data { get; }
    public RoutingTable Routes { get; }
    public ServerCertificates Certificates { get; }
    public long Version => Data.Version;

    /// <summary>Compiles a configuration; <paramref name="previous"/> lets unchanged parts be reused.</summary>
    public static ConfigSnapshot Compile(ConfigData data, ConfigSnapshot? previous = null) =>
        new(data, RoutingTable.Build(data), ServerCertificates.Build(data, previous?.Certificates));
}
