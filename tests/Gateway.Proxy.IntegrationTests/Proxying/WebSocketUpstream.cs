using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>
/// A real WebSocket server on a loopback port, in cleartext (a <c>ws</c> or <c>http</c> service) or over TLS with a
/// self-signed certificate (<c>wss</c>), speaking HTTP/1.1 only so that a gateway must reach it with an Upgrade. It answers
/// each text message "echo PATH: MESSAGE" and each binary message with the same bytes reversed; "close" makes it close the
/// socket itself (1000, "bye"); a close from the client is answered with the same status and description.
/// </summary>
public sealed class WebSocketUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _accepted;

    private WebSocketUpstream(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>How many WebSocket connections the upstream has accepted.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>The HTTP version of the last upgrade request ("HTTP/1.1").</summary>
    public string? LastProtocol { get; private set; }

    public static async Task<WebSocketUpstream> StartAsync(bool tls = false)
    {
        var app = LoopbackServer.CreateBuilder(HttpProtocols.Http1, tls).Build();
        var upstream = new WebSocketUpstream(app);
        app.UseWebSockets();
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        upstream.Port = LoopbackServer.PortOf(app);
        return upstream;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        LastProtocol = context.Request.Protocol;
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        Interlocked.Increment(ref _accepted);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var (type, length) = await ReceiveMessageAsync(socket, buffer);
            if (type == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, socket.CloseStatusDescription, CancellationToken.None);
                return;
            }
            if (type == WebSocketMessageType.Text)
            {
                var text = Encoding.UTF8.GetString(buffer, 0, length);
                if (text == "close")
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }
                await socket.SendAsync(Encoding.UTF8.GetBytes($"echo {context.Request.Path}: {text}"), type, true, CancellationToken.None);
            }
            else
            {
                Array.Reverse(buffer, 0, length);
                await socket.SendAsync(buffer.AsMemory(0, length), type, true, CancellationToken.None);
            }
        }
    }

    /// <summary>A whole message, however many frames it came in.</summary>
    public static async Task<(WebSocketMessageType Type, int Length)> ReceiveMessageAsync(WebSocket socket, byte[] buffer,
        CancellationToken cancellation = default)
    {
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellation);
            length += result.Count;
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close) return (result.MessageType, length);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
