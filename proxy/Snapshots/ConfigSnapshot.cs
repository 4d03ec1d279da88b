using Gateway.Proxy.Entities;
using Gateway.Proxy.Routing;

namespace Gateway.Proxy.Snapshots;

/// <summary>
/// Everything the proxy needs to serve one configuration version, compiled ahead of time and never mutated.
/// Requests read one snapshot reference at their start and keep it to their end, so a swap never disturbs them.
/// </summary>
public sealed class ConfigSnapshot
{
    public ConfigSnapshot(ConfigData data, RoutingTable routes)
    {
        Data = data;
        Routes = routes;
    }

    public ConfigData Data { get; }
    public RoutingTable Routes { get; }
    public long Version => Data.Version;

    public static ConfigSnapshot Compile(ConfigData data) => new(data, RoutingTable.Build(data));
}
