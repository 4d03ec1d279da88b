using Grpc.Core;
using Grpc.Net.Client;

namespace Gateway.Proxy.IntegrationTests.Proxying.Grpc;

/// <summary>
/// gRPC through the gateway with real clients and servers (Grpc.Net.Client, Grpc.AspNetCore): a cleartext HTTP/2 proxy
/// listener in front of an h2c upstream (Kong's <c>grpc</c> protocol), and the TLS listener in front of a TLS upstream
/// (<c>grpcs</c>).
/// </summary>
public sealed class GrpcProxyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_unary_call_reaches_an_h2c_upstream_and_its_headers_and_trailers_come_back()
    {
        await using var upstream = await GrpcUpstream.StartAsync();
        await using var gateway = await DbLessGateway.StartAsync(GrpcConfig(upstream, "grpc"), h2c: true);
        using var channel = Channel(gateway.H2cUrl);

        using var call = channel.CreateCallInvoker().AsyncUnaryCall(Greeter.SayHelloMethod, null, Options(), "world");

        Assert.Equal("hello world", await call.ResponseAsync);
        var headers = await call.ResponseHeadersAsync;
        Assert.Equal("world", headers.GetValue("x-greeting-header"));
        Assert.Contains("2 tollgate", headers.GetValue("via"));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal("world", call.GetTrailers().GetValue("x-greeting-trailer"));
        Assert.Equal("HTTP/2", upstream.Log.LastProtocol);
    }

    [Fact]
    public async Task A_bidirectional_stream_carries_each_message_both_ways_as_it_is_sent()
    {
        await using var upstream = await GrpcUpstream.StartAsync();
        await using var gateway = await DbLessGateway.StartAsync(GrpcConfig(upstream, "grpc"), h2c: true);
        using var channel = Channel(gateway.H2cUrl);
        using var patience = new CancellationTokenSource(Patience);

        using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(Greeter.ChatMethod, null, Options());
        // Each answer is awaited before the next message goes: a gateway that held either direction back would stall here.
        foreach (var message in new[] { "one", "two", "three" })
        {
            await call.RequestStream.WriteAsync(message, patience.Token);
            Assert.True(await call.ResponseStream.MoveNext(patience.Token), $"no answer to '{message}'");
            Assert.Equal("echo: " + message, call.ResponseStream.Current);
        }
        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNext(patience.Token));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal("3", call.GetTrailers().GetValue("x-messages"));
    }

    [Fact]
    public async Task A_server_stream_outlasting_the_read_timeout_is_not_cut_while_its_messages_flow()
    {
        await using var upstream = await GrpcUpstream.StartAsync();
        // 6 messages 600 ms apart take 3 s; the read timeout (2.5 s) is the longest silence allowed, not a limit on the call.
        await using var gateway = await DbLessGateway.StartAsync(GrpcConfig(upstream, "grpc", """, "read_timeout": 2500"""),
            h2c: true);
        using var channel = Channel(gateway.H2cUrl);
        using var patience = new CancellationTokenSource(Patience);
        var invoker = channel.CreateCallInvoker();
        // A first call opens the connections, so that the stream's first message is not what waits for them.
        Assert.Equal("hello warm", await invoker.AsyncUnaryCall(Greeter.SayHelloMethod, null, Options(), "warm"));

        using var call = invoker.AsyncServerStreamingCall(Greeter.TicksMethod, null, Options(), "6 600");
        var received = new List<string>();
        while (await call.ResponseStream.MoveNext(patience.Token)) received.Add(call.ResponseStream.Current);

        Assert.Equal(["tick 1", "tick 2", "tick 3", "tick 4", "tick 5", "tick 6"], received);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task The_client_deadline_reaches_the_upstream_and_a_call_that_outlives_it_ends_deadline_exceeded()
    {
        await using var upstream = await GrpcUpstream.StartAsync();
        await using var gateway = await DbLessGateway.StartAsync(GrpcConfig(upstream, "grpc"), h2c: true);
        using var channel = Channel(gateway.H2cUrl);
        var deadline = DateTime.UtcNow.AddSeconds(2);

        using var call = channel.CreateCallInvoker().AsyncUnaryCall(Greeter.HangMethod, null, new CallOptions(deadline: deadline), "wait");

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        // The upstream saw the deadline (grpc-timeout) and stopped working on the call.
        Assert.InRange(upstream.Log.LastDeadline, deadline.AddSeconds(-1), deadline.AddSeconds(1));
        Assert.Same(upstream.Log.Cancelled, await Task.WhenAny(upstream.Log.Cancelled, Task.Delay(Patience)));
    }

    [Fact]
    public async Task An_upstream_silent_past_the_read_timeout_is_deadline_exceeded_from_the_gateway()
    {
        await using var upstream = await GrpcUpstream.StartAsync();
        await using var gateway = await DbLessGateway.StartAsync(GrpcConfig(upstream, "grpc", """, "read_timeout": 300"""),
            h2c: true);
        using var channel = Channel(gateway.H2cUrl);

        using var call = channel.CreateCallInvoker().AsyncUnaryCall(Greeter.HangMethod, null, Options(), "wait");

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal("The upstream server is timing out", error.Status.Detail);
    }

    [Fact]
    public async Task Calls_the_gateway_cannot_forward_get_a_grpc_status_and_message()
    {
        var config = new GatewayConfig();
        var closed = Gateway.TestSupport.FreePort.Next();
        var down = config.Service("down", $$"""{"protocol": "grpc", "host": "127.0.0.1", "port": {{closed}}, "retries": 0}""");
        config.Route(down, """{"protocols": ["grpc"], "paths": ["/tollgate.test.Greeter/"], "strip_path": false}""");
        var guarded = config.Route(down, """{"protocols": ["grpc"], "paths": ["/guarded.Service/"], "strip_path": false}""");
        config.Plugin("key-auth", route: guarded);
        await using var gateway = await DbLessGateway.StartAsync(config.Build(), h2c: true);
        using var channel = Channel(gateway.H2cUrl);
        var invoker = channel.CreateCallInvoker();

        var unreachable = await Assert.ThrowsAsync<RpcException>(() =>
            invoker.AsyncUnaryCall(Greeter.SayHelloMethod, null, Options(), "x").ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, unreachable.StatusCode);
        Assert.Equal("An invalid response was received from the upstream server", unreachable.Status.Detail);

        var unrouted = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(Elsewhere("other.Service"), null, Options(), "x").ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unrouted.StatusCode);
        Assert.Equal("no Route matched with those values", unrouted.Status.Detail);
        Assert.NotNull(unrouted.Trailers.GetValue("x-tollgate-request-id"));

        var refused = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(Elsewhere("guarded.Service"), null, Options(), "x").ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal("No API key found in request", refused.Status.Detail);
    }

    [Fact]
    public async Task Grpc_responses_are_counted_by_grpc_status_in_the_metrics()
    {
        await using var upstream = await GrpcUpstream.StartAsync();
        await using var gateway = await DbLessGateway.StartAsync(GrpcConfig(upstream, "grpc"), h2c: true);
        using var channel = Channel(gateway.H2cUrl);
        var invoker = channel.CreateCallInvoker();

        Assert.Equal("hello metrics", await invoker.AsyncUnaryCall(Greeter.SayHelloMethod, null, Options(), "metrics"));
        await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(Elsewhere("other.Service"), null, Options(), "x").ResponseAsync);

        await gateway.ExpectMetricsAsync("tollgate_grpc_responses_total{grpc_status=\"0\"} 1", "tollgate_grpc_responses_total{grpc_status=\"5\"} 1",
            "tollgate_http_responses_total{code=\"200\"} 2");
    }

    [Fact]
    public async Task A_grpcs_call_over_the_tls_listener_reaches_a_tls_upstream()
    {
        await using var upstream = await GrpcUpstream.StartAsync(tls: true);
        await using var gateway = await DbLessGateway.StartAsync(GrpcConfig(upstream, "grpcs"), tls: true);
        using var channel = Channel(gateway.TlsUrl);
        using var patience = new CancellationTokenSource(Patience);
        var invoker = channel.CreateCallInvoker();

        using var unary = invoker.AsyncUnaryCall(Greeter.SayHelloMethod, null, Options(), "tls");
        Assert.Equal("hello tls", await unary.ResponseAsync);
        Assert.Equal("tls", unary.GetTrailers().GetValue("x-greeting-trailer"));

        using var chat = invoker.AsyncDuplexStreamingCall(Greeter.ChatMethod, null, Options());
        await chat.RequestStream.WriteAsync("secret", patience.Token);
        Assert.True(await chat.ResponseStream.MoveNext(patience.Token));
        Assert.Equal("echo: secret", chat.ResponseStream.Current);
        await chat.RequestStream.CompleteAsync();
        Assert.False(await chat.ResponseStream.MoveNext(patience.Token));
        Assert.Equal("1", chat.GetTrailers().GetValue("x-messages"));
    }

    [Fact]
    public async Task Transformer_plugins_leave_a_json_grpc_stream_flowing_with_its_trailers()
    {
        await using var upstream = await GrpcUpstream.StartAsync();
        var config = new GatewayConfig();
        var service = config.Service("greeter", $$"""{"protocol": "grpc", "host": "127.0.0.1", "port": {{upstream.Port}}}""");
        var route = config.Route(service, """{"protocols": ["grpc"], "paths": ["/tollgate.test.Greeter/"], "strip_path": false}""");
        // Both would rewrite a JSON body; a gRPC stream in JSON is not one, and holding it to read it whole would stall the call.
        config.Plugin("request-transformer", """{"add": {"body": ["extra:1"]}}""", route: route);
        config.Plugin("response-transformer", """{"add": {"json": ["extra:1"]}}""", route: route);
        await using var gateway = await DbLessGateway.StartAsync(config.Build(), h2c: true);
        using var patience = new CancellationTokenSource(Patience);

        await using var call = RawGrpcCall.Start(gateway.H2cUrl, "/tollgate.test.Greeter/Chat", "application/grpc+json", patience.Token);
        foreach (var message in new[] { """{"n":1}""", """{"n":2}""" })
        {
            await call.WriteAsync(message, patience.Token);
            Assert.Equal("echo: " + message, await call.ReadAsync(patience.Token));
        }
        call.Complete();

        Assert.Null(await call.ReadAsync(patience.Token));
        Assert.Equal("application/grpc+json", (await call.Response).Content.Headers.ContentType?.ToString());
        Assert.Equal("0", call.Trailer("grpc-status"));
        Assert.Equal("2", call.Trailer("x-messages"));
    }

    [Fact]
    public async Task A_grpc_stream_in_a_named_format_may_stay_quiet_longer_than_the_servers_minimum_data_rate_allows()
    {
        await using var upstream = await GrpcUpstream.StartAsync();
        await using var gateway = await DbLessGateway.StartAsync(GrpcConfig(upstream, "grpc"), h2c: true);
        using var patience = new CancellationTokenSource(Patience);

        await using var call = RawGrpcCall.Start(gateway.H2cUrl, "/tollgate.test.Greeter/Chat", "application/grpc+proto", patience.Token);
        await call.WriteAsync("before", patience.Token);
        Assert.Equal("echo: before", await call.ReadAsync(patience.Token));
        // Kestrel ends a request body slower than 240 bytes/s after a 5 s grace period; a chat's client may say nothing for longer.
        await Task.Delay(TimeSpan.FromSeconds(7));
        await call.WriteAsync("after", patience.Token);
        Assert.Equal("echo: after", await call.ReadAsync(patience.Token));
        call.Complete();

        Assert.Null(await call.ReadAsync(patience.Token));
        Assert.Equal("2", call.Trailer("x-messages"));
    }

    [Fact]
    public async Task A_grpc_call_in_a_named_format_that_the_upstream_ends_first_ends_for_the_client_too()
    {
        await using var upstream = await GrpcUpstream.StartAsync();
        await using var gateway = await DbLessGateway.StartAsync(GrpcConfig(upstream, "grpc"), h2c: true);
        using var patience = new CancellationTokenSource(Patience);

        await using var call = RawGrpcCall.Start(gateway.H2cUrl, "/tollgate.test.Greeter/Chat", "application/grpc+proto", patience.Token);
        await call.WriteAsync("bye", patience.Token);
        Assert.Equal("echo: bye", await call.ReadAsync(patience.Token));

        // The client's request stream is still open: the upstream's end and trailers must reach it all the same.
        Assert.Null(await call.ReadAsync(patience.Token));
        Assert.Equal("0", call.Trailer("grpc-status"));
        Assert.Equal("1", call.Trailer("x-messages"));
    }

    [Fact]
    public async Task A_listener_without_the_http2_flag_speaks_only_http1()
    {
        await using var upstream = await GrpcUpstream.StartAsync();
        await using var gateway = await DbLessGateway.StartAsync(GrpcConfig(upstream, "grpc"), h2c: true);
        using var channel = Channel(gateway.ProxyUrl);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.CreateCallInvoker().AsyncUnaryCall(Greeter.SayHelloMethod, null, Options(), "world").ResponseAsync);

        Assert.NotEqual(StatusCode.OK, error.StatusCode);
        Assert.Null(upstream.Log.LastProtocol);
    }

    /// <summary>A service of <paramref name="protocol"/> (grpc, grpcs) for the upstream, and a route of the same protocol for its calls.</summary>
    private static Entities.ConfigData GrpcConfig(GrpcUpstream upstream, string protocol, string serviceFields = "")
    {
        var config = new GatewayConfig();
        var service = config.Service("greeter",
            $$"""{"protocol": "{{protocol}}", "host": "127.0.0.1", "port": {{upstream.Port}}{{serviceFields}}}""");
        config.Route(service, $$"""{"protocols": ["{{protocol}}"], "paths": ["/tollgate.test.Greeter/"], "strip_path": false}""");
        return config.Build();
    }

    /// <summary>A unary method "Call" of <paramref name="service"/>, which the upstream does not serve.</summary>
    private static Method<string, string> Elsewhere(string service) =>
        new(MethodType.Unary, service, "Call", Greeter.SayHelloMethod.RequestMarshaller, Greeter.SayHelloMethod.ResponseMarshaller);

    private static CallOptions Options() => new(deadline: DateTime.UtcNow.Add(Patience));

    /// <summary>A channel to the gateway that accepts its generated certificate.</summary>
    private static GrpcChannel Channel(string url) => GrpcChannel.ForAddress(url, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
        },
        DisposeHttpClient = true,
    });
}
