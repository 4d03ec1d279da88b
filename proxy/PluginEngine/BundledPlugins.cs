namespace Gateway.Proxy.PluginEngine;

/// <summary>The plugins shipped with the gateway; each lives in its own folder under Plugins/.</summary>
public static class BundledPlugins
{
    public static IReadOnlyList<PluginDefinition> All { get; } =
    [
        Plugins.KeyAuth.KeyAuthHandler.Registration,
        Plugins.Acl.AclHandler.Registration,
        Plugins.Cors.CorsHandler.Registration,
        Plugins.CorrelationId.CorrelationIdHandler.Registration,
        Plugins.RequestSizeLimiting.RequestSizeLimitingHandler.Registration,
        Plugins.RequestTransformer.RequestTransformerHandler.Registration,
        Plugins.ResponseTransformer.ResponseTransformerHandler.Registration,
        Plugins.BasicAuth.BasicAuthHandler.Registration,
        Plugins.Jwt.JwtHandler.Registration,
        Plugins.IpRestriction.IpRestrictionHandler.Registration,
        Plugins.RateLimiting.RateLimitingHandler.Registration,
        Plugins.RequestTermination.RequestTerminationHandler.Registration,
        Plugins.Redirect.RedirectHandler.Registration,
        Plugins.RequestMirror.RequestMirrorHandler.Registration,
    ];
}
