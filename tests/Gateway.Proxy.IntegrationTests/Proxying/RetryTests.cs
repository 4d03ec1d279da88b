using System.Net;
using System.Text;
using Gateway.Proxy.Status;

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>
/// What the gateway sends again when a try fails before a response arrives, as nginx's proxy_next_upstream error
/// timeout under Kong's retries: requests that never reached the upstream, and idempotent requests whose body can be
/// sent again whole; never a non-idempotent request the upstream may have processed.
/// </summary>
public sealed class RetryTests : IAsyncLifetime
{
    private GatewayTestHost _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayTestHost.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private void Route(string url, int retries = 2, int readTimeout = 60_000)
    {
        var config = new GatewayConfig();
        config.Route(config.Service("svc", $$"""{"url": "{{url}}", "retries": {{retries}}, "read_timeout": {{readTimeout}}}"""), """{"paths": ["/"]}""");
        _gateway.Apply(config.Build());
    }

    /// <summary>An upstream of two targets, tried in turn.</summary>
    private void Pool(ScriptedUpstream first, ScriptedUpstream second, int readTimeout)
    {
        var config = new GatewayConfig();
        var pool = config.Upstream("pool");
        config.Target(pool, $"127.0.0.1:{first.Port}");
        config.Target(pool, $"127.0.0.1:{second.Port}");
        config.Route(config.Service("svc", $$"""{"host": "pool", "retries": 2, "read_timeout": {{readTimeout}}}"""), """{"paths": ["/"]}""");
        _gateway.Apply(config.Build());
    }

    private Task<HttpResponseMessage> SendAsync(string method, string? body = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), "/r");
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "text/plain");
        return _gateway.Client.SendAsync(request);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    [InlineData("DELETE")]
    public async Task An_idempotent_request_whose_connection_closed_before_a_response_is_sent_again(string method)
    {
        await using var upstream = ScriptedUpstream.Start(UpstreamAct.Close, UpstreamAct.Answer);
        Route(upstream.Url);

        var response = await SendAsync(method);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, upstream.Requests.Count);
    }

    [Theory]
    [InlineData("POST", "pay 100")]
    [InlineData("PATCH", "pay 100")]
    public async Task A_request_that_is_not_idempotent_is_never_sent_twice(string method, string body)
    {
        await using var upstream = ScriptedUpstream.Start(UpstreamAct.Close, UpstreamAct.Answer);
        Route(upstream.Url, retries: 5);

        var response = await SendAsync(method, body);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal($"{method} /r {body}", Assert.Single(upstream.Requests));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public async Task A_request_that_is_not_idempotent_and_has_no_body_is_never_sent_twice(string method)
    {
        await using var upstream = ScriptedUpstream.Start(UpstreamAct.Close, UpstreamAct.Answer);
        Route(upstream.Url, retries: 5);

        // Written by hand: HttpClient would add "Content-Length: 0", which makes it a request with a body.
        var response = await RawHttp.SendAsync(_gateway.Port, $"{method} /r HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        Assert.Equal(502, response.Status);
        Assert.Equal($"{method} /r ", Assert.Single(upstream.Requests));
    }

    [Fact]
    public async Task An_idempotent_request_is_sent_again_with_its_whole_body()
    {
        await using var upstream = ScriptedUpstream.Start(UpstreamAct.Close, UpstreamAct.Answer);
        Route(upstream.Url);
        var body = string.Concat(Enumerable.Repeat("0123456789", 10_000));

        var response = await SendAsync("PUT", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Equal([$"PUT /r {body}", $"PUT /r {body}"], upstream.Requests);
        Assert.Equal(1, _gateway.Metrics.NoResponseRetries);
    }

    [Fact]
    public async Task A_body_longer_than_the_gateway_keeps_is_not_sent_twice()
    {
        await using var upstream = ScriptedUpstream.Start(UpstreamAct.Close, UpstreamAct.Answer);
        Route(upstream.Url);
        var body = new string('x', 2 * 1024 * 1024);

        var response = await SendAsync("PUT", body);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Single(upstream.Requests);
    }

    [Fact]
    public async Task Retries_stop_at_the_services_count()
    {
        await using var upstream = ScriptedUpstream.Start(UpstreamAct.Close);
        Route(upstream.Url, retries: 3);

        var response = await SendAsync("PUT", "x");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(4, upstream.Requests.Count);
    }

    [Fact]
    public async Task With_no_retries_the_first_failure_is_final()
    {
        await using var upstream = ScriptedUpstream.Start(UpstreamAct.Close, UpstreamAct.Answer);
        Route(upstream.Url, retries: 0);

        var response = await SendAsync("PUT", "x");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Single(upstream.Requests);
    }

    [Fact]
    public async Task A_read_timeout_is_not_waited_out_twice_on_the_same_target()
    {
        await using var upstream = ScriptedUpstream.Start(UpstreamAct.Hang, UpstreamAct.Answer);
        Route(upstream.Url, retries: 2, readTimeout: 300);

        var response = await SendAsync("GET");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Single(upstream.Requests);
    }

    [Fact]
    public async Task A_closed_connection_sends_a_request_on_to_another_target()
    {
        await using var closing = ScriptedUpstream.Start(UpstreamAct.Close);
        await using var healthy = ScriptedUpstream.Start(UpstreamAct.Answer);
        Pool(closing, healthy, readTimeout: 60_000);

        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.OK, (await SendAsync("GET")).StatusCode);
        Assert.Equal(4, healthy.Requests.Count);
        Assert.True(_gateway.Metrics.NoResponseRetries >= 1);
    }

    [Fact]
    public async Task A_read_timeout_is_retried_on_another_target()
    {
        await using var hanging = ScriptedUpstream.Start(UpstreamAct.Hang);
        await using var healthy = ScriptedUpstream.Start(UpstreamAct.Answer);
        Pool(hanging, healthy, readTimeout: 300);

        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.OK, (await SendAsync("GET")).StatusCode);
        Assert.Equal(4, healthy.Requests.Count);
        Assert.InRange(hanging.Requests.Count, 1, 4);
    }
}
