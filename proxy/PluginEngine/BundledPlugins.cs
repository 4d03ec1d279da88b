namespace Gateway.Proxy.PluginEngine;

/// <summary>The plugins shipped with the gateway; each lives in its own folder under Plugins/.</summary>
public static class BundledPlugins
{
    public static IReadOnlyList<PluginDefinition> All { get; } =
    [
        Plugins.KeyAuth.KeyAuthHandler.Registration,
        Plugins.Acl.AclHandler.Registration,
        Plugins.RateLimiting.RateLimitingHandler.Registration,
    ];
}
