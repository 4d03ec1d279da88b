using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Snapshots;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Proxy.Proxying;

public static class GatewayProxyExtensions
{
    /// <summary>Registers what the proxy needs: YARP's forwarder, the upstream clients and the snapshot holder.</summary>
    public static IServiceCollection AddGatewayProxy(this IServiceCollection services)
    {
        services.AddHttpForwarder();
        services.TryAddSingleton<SnapshotHolder>();
        services.TryAddSingleton<UpstreamClients>();
        services.TryAddSingleton(PluginServices.Default);
        return services;
    }

    /// <summary>Ends the pipeline with the proxy: every request reaching it is routed and forwarded (or answered 404).</summary>
    public static IApplicationBuilder UseGatewayProxy(this IApplicationBuilder app)
    {
        var proxy = ActivatorUtilities.CreateInstance<GatewayProxyMiddleware>(app.ApplicationServices);
        app.Run(proxy.InvokeAsync);
        return app;
    }
}
