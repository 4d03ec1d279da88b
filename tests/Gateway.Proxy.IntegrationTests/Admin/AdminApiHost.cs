using Gateway.Proxy.Admin;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>A real Kestrel server on a loopback port answering with the Admin API over the given store.</summary>
public sealed class AdminApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AdminApiHost(WebApplication app, IConfigStore store, Uri address)
    {
        _app = app;
        Store = store;
        Address = address;
        Client = new AdminClient(new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) });
    }

    public IConfigStore Store { get; }
    public Uri Address { get; }
    public AdminClient Client { get; }
    public SnapshotHolder Snapshots => _app.Services.GetRequiredService<SnapshotHolder>();

    public static async Task<AdminApiHost> StartAsync(IConfigStore store, AdminApiOptions? options = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(new SnapshotHolder());
        builder.Services.AddAdminApi(options ?? new AdminApiOptions());
        var app = builder.Build();
        // The host mounts the Admin API on its own listener; a branch stands in for that here.
        app.MapWhen(_ => true, branch => branch.UseAdminApi());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AdminApiHost(app, store, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
