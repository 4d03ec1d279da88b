using Gateway.Proxy.Admin.Info;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Proxy.Admin;

public static class AdminApiExtensions
{
    /// <summary>Registers the Admin API. It needs an <see cref="Store.IConfigStore"/> and a <see cref="Snapshots.SnapshotHolder"/>.</summary>
    public static IServiceCollection AddAdminApi(this IServiceCollection services, AdminApiOptions options)
    {
        services.AddMetrics();
        services.AddSingleton(options);
        services.AddSingleton<ServerStatistics>();
        services.AddSingleton<AdminApi>();
        return services;
    }

    /// <summary>Answers every request of this branch with the Admin API (terminal middleware).</summary>
    public static IApplicationBuilder UseAdminApi(this IApplicationBuilder app)
    {
        var api = app.ApplicationServices.GetRequiredService<AdminApi>();
        app.Run(api.InvokeAsync);
        return app;
    }
}
