using Gateway.Proxy.IntegrationTests.Proxying;
using Gateway.Proxy.PluginEngine;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.Plugins;

/// <summary>A real gateway and one echo upstream; each test configures routes and plugins and sends real requests.</summary>
public abstract class PluginTestBase : IAsyncLifetime
{
    protected EchoUpstream Upstream { get; private set; } = null!;
    protected GatewayTestHost Gateway { get; private set; } = null!;
    protected HttpClient Client => Gateway.Client;

    public async Task InitializeAsync()
    {
        Upstream = await EchoUpstream.StartAsync("echo");
        Gateway = await StartGatewayAsync();
    }

    /// <summary>The gateway under test; a test class may start it with node settings of its own.</summary>
    protected virtual Task<GatewayTestHost> StartGatewayAsync() => GatewayTestHost.StartAsync();

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    /// <summary>A service for the echo upstream and a route for <paramref name="path"/> on it.</summary>
    protected (Guid Service, Guid Route) ServiceAndRoute(GatewayConfig config, string path = "/api", string service = "echo")
    {
        var serviceId = config.Service(service, $$"""{"url": "{{Upstream.Url}}"}""");
        var routeId = config.Route(serviceId, $$"""{"paths": ["{{path}}"]}""");
        return (serviceId, routeId);
    }

    protected async Task<HttpResponseMessage> GetAsync(string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return await Client.SendAsync(request);
    }

    protected static async Task<string> MessageOf(HttpResponseMessage response)
    {
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("message").GetString()!;
    }
}
