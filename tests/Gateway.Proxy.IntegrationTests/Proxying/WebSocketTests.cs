using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>
/// WebSockets through the gateway, between a real client (ClientWebSocket) and a real server (<see cref="WebSocketUpstream"/>):
/// the HTTP/1.1 Upgrade in cleartext and over TLS, and RFC 8441's WebSocket over HTTP/2 turned into an Upgrade upstream.
/// </summary>
public sealed class WebSocketTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    // Sockets over HTTP/2 need a handler; this one accepts the gateway's generated certificate.
    private static readonly HttpMessageInvoker Http2Client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
    });

    [Fact]
    public async Task A_websocket_upgrade_passes_through_the_gateway_to_an_http_service()
    {
        await using var upstream = await WebSocketUpstream.StartAsync();
        var config = new GatewayConfig();
        config.Route(config.Service("ws", $$"""{"url": "http://127.0.0.1:{{upstream.Port}}"}"""), """{"paths": ["/chat"], "strip_path": false}""");
        await using var gateway = await GatewayTestHost.StartAsync(config.Build());
        using var patience = new CancellationTokenSource(Patience);

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{gateway.Port}/chat/room"), patience.Token);

        Assert.Equal("echo /chat/room: hello", await SendTextAsync(socket, "hello", patience.Token));
        await CloseAsync(socket, patience.Token);
    }

    [Fact]
    public async Task Text_and_binary_messages_and_the_close_handshake_pass_through_a_ws_service()
    {
        await using var upstream = await WebSocketUpstream.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(WebSocketConfig(upstream, "ws"));
        using var patience = new CancellationTokenSource(Patience);

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{gateway.Port}/chat/room"), patience.Token);

        Assert.Equal("echo /chat/room: one", await SendTextAsync(socket, "one", patience.Token));
        Assert.Equal("echo /chat/room: two", await SendTextAsync(socket, "two", patience.Token));
        Assert.Equal(new byte[] { 3, 2, 1, 0 }, await SendBinaryAsync(socket, [0, 1, 2, 3], patience.Token));
        // A message sent in several frames arrives whole.
        var large = new string('x', 20_000) + "end";
        await socket.SendAsync(Encoding.UTF8.GetBytes(large[..10_000]), WebSocketMessageType.Text, endOfMessage: false, patience.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes(large[10_000..]), WebSocketMessageType.Text, endOfMessage: true, patience.Token);
        Assert.Equal("echo /chat/room: " + large, await ReceiveTextAsync(socket, patience.Token));

        await CloseAsync(socket, patience.Token);
        Assert.Equal(1, upstream.Accepted);
    }

    [Fact]
    public async Task The_upstream_may_close_first_and_the_client_sees_its_status()
    {
        await using var upstream = await WebSocketUpstream.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(WebSocketConfig(upstream, "ws"));
        using var patience = new CancellationTokenSource(Patience);

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{gateway.Port}/chat/room"), patience.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes("close"), WebSocketMessageType.Text, true, patience.Token);

        var received = await socket.ReceiveAsync(new byte[64], patience.Token);
        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        Assert.Equal("bye", socket.CloseStatusDescription);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, patience.Token);
        Assert.Equal(WebSocketState.Closed, socket.State);
    }

    [Fact]
    public async Task A_wss_client_reaches_a_wss_service_through_the_tls_listener()
    {
        await using var upstream = await WebSocketUpstream.StartAsync(tls: true);
        await using var gateway = await DbLessGateway.StartAsync(WebSocketConfig(upstream, "wss"), tls: true);
        using var patience = new CancellationTokenSource(Patience);

        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        await socket.ConnectAsync(new Uri(gateway.TlsUrl.Replace("https://", "wss://") + "/chat/secure"), patience.Token);

        Assert.Equal("echo /chat/secure: over tls", await SendTextAsync(socket, "over tls", patience.Token));
        Assert.Equal(new byte[] { 9, 8 }, await SendBinaryAsync(socket, [8, 9], patience.Token));
        await CloseAsync(socket, patience.Token);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_websocket_over_http2_reaches_an_http1_upstream_as_an_upgrade(bool tls)
    {
        await using var upstream = await WebSocketUpstream.StartAsync(tls);
        await using var gateway = await DbLessGateway.StartAsync(WebSocketConfig(upstream, tls ? "wss" : "ws"), h2c: !tls, tls: tls);
        using var patience = new CancellationTokenSource(Patience);
        var url = tls ? gateway.TlsUrl.Replace("https://", "wss://") : gateway.H2cUrl.Replace("http://", "ws://");

        using var socket = await ConnectOverHttp2Async(url + "/chat/h2", patience.Token);

        // RFC 8441: the client's extended CONNECT is answered 200, not 101.
        Assert.Equal(HttpStatusCode.OK, socket.HttpStatusCode);
        Assert.Equal("echo /chat/h2: over http/2", await SendTextAsync(socket, "over http/2", patience.Token));
        Assert.Equal("HTTP/1.1", upstream.LastProtocol);
        await CloseAsync(socket, patience.Token);
    }

    [Fact]
    public async Task A_websocket_silent_for_longer_than_the_read_timeout_is_closed()
    {
        await using var upstream = await WebSocketUpstream.StartAsync();
        var config = new GatewayConfig();
        var service = config.Service("chat", $$"""{"protocol": "ws", "host": "127.0.0.1", "port": {{upstream.Port}}, "read_timeout": 1500}""");
        config.Route(service, """{"protocols": ["ws"], "paths": ["/chat"], "strip_path": false}""");
        await using var gateway = await GatewayTestHost.StartAsync(config.Build());
        using var patience = new CancellationTokenSource(Patience);

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{gateway.Port}/chat/idle"), patience.Token);
        Assert.Equal("echo /chat/idle: awake", await SendTextAsync(socket, "awake", patience.Token));

        // Nothing is said either way: as nginx's proxy_read_timeout, the read timeout ends the tunnel.
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ReceiveAsync(new byte[64], patience.Token));
        Assert.False(patience.IsCancellationRequested);
    }

    [Fact]
    public async Task Open_websockets_count_as_upgraded_connections_until_they_close()
    {
        await using var upstream = await WebSocketUpstream.StartAsync();
        await using var gateway = await DbLessGateway.StartAsync(WebSocketConfig(upstream, "ws"), h2c: true);
        using var patience = new CancellationTokenSource(Patience);

        using var overHttp1 = new ClientWebSocket();
        await overHttp1.ConnectAsync(new Uri(gateway.ProxyUrl.Replace("http://", "ws://") + "/chat/one"), patience.Token);
        using var overHttp2 = await ConnectOverHttp2Async(gateway.H2cUrl.Replace("http://", "ws://") + "/chat/two", patience.Token);
        Assert.Equal("echo /chat/two: hi", await SendTextAsync(overHttp2, "hi", patience.Token));

        await gateway.ExpectMetricsAsync("tollgate_upgraded_connections 2", "tollgate_upgraded_connections_total 2");
        await CloseAsync(overHttp1, patience.Token);
        await gateway.ExpectMetricsAsync("tollgate_upgraded_connections 1", "tollgate_http_responses_total{code=\"101\"} 1");
        await CloseAsync(overHttp2, patience.Token);
        await gateway.ExpectMetricsAsync("tollgate_upgraded_connections 0", "tollgate_upgraded_connections_total 2");
    }

    /// <summary>A service of <paramref name="protocol"/> (ws, wss) for the upstream, and a route of the same protocol for /chat.</summary>
    private static Entities.ConfigData WebSocketConfig(WebSocketUpstream upstream, string protocol)
    {
        var config = new GatewayConfig();
        var service = config.Service("chat", $$"""{"protocol": "{{protocol}}", "host": "127.0.0.1", "port": {{upstream.Port}}}""");
        config.Route(service, $$"""{"protocols": ["{{protocol}}"], "paths": ["/chat"], "strip_path": false}""");
        return config.Build();
    }

    /// <summary>A WebSocket opened with RFC 8441's extended CONNECT: over HTTP/2 with TLS (wss://) or in cleartext (ws://).</summary>
    private static async Task<ClientWebSocket> ConnectOverHttp2Async(string url, CancellationToken cancellation)
    {
        var socket = new ClientWebSocket();
        socket.Options.HttpVersion = HttpVersion.Version20;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        socket.Options.CollectHttpResponseDetails = true;
        await socket.ConnectAsync(new Uri(url), Http2Client, cancellation);
        return socket;
    }

    private static async Task<string> SendTextAsync(ClientWebSocket socket, string text, CancellationToken cancellation)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellation);
        return await ReceiveTextAsync(socket, cancellation);
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket, CancellationToken cancellation)
    {
        var buffer = new byte[64 * 1024];
        var (type, length) = await WebSocketUpstream.ReceiveMessageAsync(socket, buffer, cancellation);
        Assert.Equal(WebSocketMessageType.Text, type);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static async Task<byte[]> SendBinaryAsync(ClientWebSocket socket, byte[] bytes, CancellationToken cancellation)
    {
        await socket.SendAsync(bytes, WebSocketMessageType.Binary, true, cancellation);
        var buffer = new byte[64 * 1024];
        var (type, length) = await WebSocketUpstream.ReceiveMessageAsync(socket, buffer, cancellation);
        Assert.Equal(WebSocketMessageType.Binary, type);
        return buffer[..length];
    }

    /// <summary>The client's close handshake: the upstream answers with the same status and description.</summary>
    private static async Task CloseAsync(ClientWebSocket socket, CancellationToken cancellation)
    {
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellation);
        Assert.Equal(WebSocketState.Closed, socket.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        Assert.Equal("done", socket.CloseStatusDescription);
    }
}
