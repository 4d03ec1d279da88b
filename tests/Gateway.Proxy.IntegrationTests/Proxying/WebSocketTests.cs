using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Proxy.IntegrationTests.Proxying;

public sealed class WebSocketTests
{
    [Fact]
    public async Task A_websocket_upgrade_passes_through_the_gateway()
    {
        await using var upstream = await StartEchoSocketServerAsync();
        var config = new GatewayConfig();
        config.Route(config.Service("ws", $$"""{"url": "http://127.0.0.1:{{upstream.Port}}"}"""), """{"paths": ["/chat"], "strip_path": false}""");
        await using var gateway = await GatewayTestHost.StartAsync(config.Build());

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{gateway.Port}/chat/room"), CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[256];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);

        Assert.Equal("echo /chat/room: hello", Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    /// <summary>An upstream that accepts websockets and answers each message with "echo {path}: {message}".</summary>
    private static async Task<SocketServer> StartEchoSocketServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[256];
            while (true)
            {
                var message = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (message.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }
                var reply = Encoding.UTF8.GetBytes($"echo {context.Request.Path}: " + Encoding.UTF8.GetString(buffer, 0, message.Count));
                await socket.SendAsync(reply, WebSocketMessageType.Text, true, CancellationToken.None);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new SocketServer(app, new Uri(address).Port);
    }

    private sealed record SocketServer(WebApplication App, int Port) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
