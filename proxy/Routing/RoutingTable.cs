using Gateway.Proxy.Entities;

namespace Gateway.Proxy.Routing;

/// <summary>The compiled, immutable routing table of one configuration snapshot.</summary>
public sealed class RoutingTable
{
    public static RoutingTable Build(ConfigData config) => new();
}
