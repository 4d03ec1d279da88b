using System.Net;
using System.Text.Json;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>Requests through a real gateway to real upstreams on loopback.</summary>
public sealed class ProxyingTests : IAsyncLifetime
{
    private EchoUpstream _foo = null!;
    private EchoUpstream _bar = null!;
    private GatewayTestHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _foo = await EchoUpstream.StartAsync("foo");
        _bar = await EchoUpstream.StartAsync("bar");
        _gateway = await GatewayTestHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _foo.DisposeAsync();
        await _bar.DisposeAsync();
    }

    private HttpClient Client => _gateway.Client;

    /// <summary>/foo to the foo upstream, /bar to the bar upstream, each with strip_path as given.</summary>
    private void RouteFooAndBar(string fooRoute = """{"paths": ["/foo"]}""", string barRoute = """{"paths": ["/bar"]}""")
    {
        var config = new GatewayConfig();
        config.Route(config.Service("foo", $$"""{"url": "{{_foo.Url}}"}"""), fooRoute);
        config.Route(config.Service("bar", $$"""{"url": "{{_bar.Url}}"}"""), barRoute);
        _gateway.Apply(config.Build());
    }

    [Fact]
    public async Task Each_path_goes_to_its_own_upstream()
    {
        RouteFooAndBar();

        var foo = await EchoReply.ReadAsync(await Client.GetAsync("/foo/items"));
        var bar = await EchoReply.ReadAsync(await Client.GetAsync("/bar/items"));

        Assert.Equal("foo", foo.Upstream);
        Assert.Equal("bar", bar.Upstream);
        Assert.Equal(1, _foo.RequestCount);
        Assert.Equal(1, _bar.RequestCount);
    }

    [Fact]
    public async Task An_unmatched_request_gets_kongs_404_body_and_headers()
    {
        RouteFooAndBar();

        var response = await Client.GetAsync("/nowhere");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var requestId = Assert.Single(response.Headers.GetValues("X-Tollgate-Request-Id"));
        Assert.Matches("^[0-9a-f]{32}$", requestId);
        Assert.Equal("{\n  \"message\":\"no Route matched with those values\",\n  \"request_id\":\"" + requestId + "\"\n}", body);
        Assert.Equal("tollgate/0.1.0", string.Join(",", response.Headers.Server.Select(s => s.ToString())));
        Assert.True(int.TryParse(Assert.Single(response.Headers.GetValues("X-Tollgate-Response-Latency")), out _));
        Assert.False(response.Headers.Contains("Via"));
    }

    [Fact]
    public async Task Before_any_configuration_every_request_is_unmatched()
    {
        var response = await Client.GetAsync("/foo");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Strip_path_removes_the_matched_prefix_and_keeps_the_query_string_as_sent()
    {
        RouteFooAndBar(barRoute: """{"paths": ["/bar"], "strip_path": false}""");

        var stripped = await EchoReply.ReadAsync(await Client.GetAsync("/foo/items/7?b=2&a=1&sp=%20x&empty="));
        var kept = await EchoReply.ReadAsync(await Client.GetAsync("/bar/items/7?z=%2F"));

        Assert.Equal("/items/7", stripped.Path);
        Assert.Equal("?b=2&a=1&sp=%20x&empty=", stripped.Query);
        Assert.Equal("/bar/items/7", kept.Path);
        Assert.Equal("?z=%2F", kept.Query);
    }

    [Fact]
    public async Task The_service_path_is_joined_with_what_is_left_of_the_request_path()
    {
        var config = new GatewayConfig();
        var service = config.Service("foo", $$"""{"url": "{{_foo.Url}}/api/v2"}""");
        config.Route(service, """{"paths": ["/foo"]}""");
        config.Route(service, """{"paths": ["/legacy"], "path_handling": "v1"}""");
        config.Route(service, """{"paths": ["~/users/(?<id>\\d+)"]}""");
        _gateway.Apply(config.Build());

        Assert.Equal("/api/v2/orders", (await EchoReply.ReadAsync(await Client.GetAsync("/foo/orders"))).Path);
        Assert.Equal("/api/v2", (await EchoReply.ReadAsync(await Client.GetAsync("/foo"))).Path);
        Assert.Equal("/api/v2orders", (await EchoReply.ReadAsync(await Client.GetAsync("/legacyorders"))).Path);
        Assert.Equal("/api/v2/profile", (await EchoReply.ReadAsync(await Client.GetAsync("/users/42/profile"))).Path);
    }

    [Fact]
    public async Task Encoded_characters_in_the_path_reach_the_upstream_encoded()
    {
        RouteFooAndBar();

        var reply = await EchoReply.ReadAsync(await Client.GetAsync("/foo/a%20b/%3B/%C3%A9t%C3%A9/50%25"));

        Assert.Equal("/a%20b/%3B/%C3%A9t%C3%A9/50%25", reply.Path);
    }

    [Fact]
    public async Task Encoded_slashes_reach_the_upstream_encoded_on_a_route_that_allows_them()
    {
        RouteFooAndBar(fooRoute: """{"paths": ["/foo"], "allow_encoded_slashes": true}""");

        var foo = await EchoReply.ReadAsync(await Client.GetAsync("/foo/c%2Fd"));
        var bar = await Client.GetAsync("/bar/c%2Fd");

        Assert.Equal("/c%2Fd", foo.Path);
        Assert.Equal(HttpStatusCode.BadRequest, bar.StatusCode);
        Assert.Equal(0, _bar.RequestCount);
    }

    [Fact]
    public async Task The_upstream_sees_its_own_host_unless_the_route_preserves_the_clients()
    {
        RouteFooAndBar(barRoute: """{"paths": ["/bar"], "preserve_host": true}""");

        var foo = await EchoReply.ReadAsync(await SendAsync(HttpMethod.Get, "/foo", ("Host", "api.example.com")));
        var bar = await EchoReply.ReadAsync(await SendAsync(HttpMethod.Get, "/bar", ("Host", "api.example.com")));

        Assert.Equal($"127.0.0.1:{_foo.Port}", foo.Header("host"));
        Assert.Equal("api.example.com", bar.Header("host"));
    }

    [Fact]
    public async Task Forwarding_headers_describe_the_client_request()
    {
        RouteFooAndBar();

        var reply = await EchoReply.ReadAsync(await SendAsync(HttpMethod.Get, "/foo/items?x=1",
            ("Host", "API.Example.com:8443"), ("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "spoofed"),
            ("Via", "1.1 edge")));

        Assert.Equal("127.0.0.1", reply.Header("x-forwarded-for"));
        Assert.Equal("http", reply.Header("x-forwarded-proto"));
        Assert.Equal("api.example.com", reply.Header("x-forwarded-host"));
        Assert.Equal(_gateway.Port.ToString(), reply.Header("x-forwarded-port"));
        Assert.Equal("/foo/items", reply.Header("x-forwarded-path"));
        Assert.Equal("/foo", reply.Header("x-forwarded-prefix"));
        Assert.Equal("127.0.0.1", reply.Header("x-real-ip"));
        Assert.Equal("1.1 edge, 1.1 tollgate/0.1.0", reply.Header("via"));
    }

    [Fact]
    public async Task No_forwarded_prefix_when_nothing_was_stripped()
    {
        RouteFooAndBar(barRoute: """{"paths": ["/bar"], "strip_path": false}""");

        var reply = await EchoReply.ReadAsync(await Client.GetAsync("/bar/x"));

        Assert.Null(reply.Header("x-forwarded-prefix"));
        Assert.Equal("127.0.0.1", reply.Header("x-forwarded-for"));
    }

    [Fact]
    public async Task Proxied_responses_carry_via_latencies_and_the_request_id_sent_upstream()
    {
        RouteFooAndBar();

        var response = await SendAsync(HttpMethod.Get, "/foo", ("x-echo-delay-ms", "150"));
        var reply = await EchoReply.ReadAsync(response);

        Assert.Equal("1.1 tollgate/0.1.0", Assert.Single(response.Headers.GetValues("Via")));
        var upstreamLatency = int.Parse(Assert.Single(response.Headers.GetValues("X-Tollgate-Upstream-Latency")));
        var proxyLatency = int.Parse(Assert.Single(response.Headers.GetValues("X-Tollgate-Proxy-Latency")));
        Assert.InRange(upstreamLatency, 140, 5000);
        Assert.InRange(proxyLatency, 0, 1000);
        var requestId = Assert.Single(response.Headers.GetValues("X-Tollgate-Request-Id"));
        Assert.Equal(requestId, reply.Header("x-tollgate-request-id"));
        Assert.False(response.Headers.Contains("X-Tollgate-Response-Latency"));
        // The upstream's own Server header is passed on.
        Assert.Equal("Kestrel", string.Join(",", response.Headers.Server.Select(s => s.ToString())));
    }

    [Fact]
    public async Task Request_ids_differ_between_requests()
    {
        RouteFooAndBar();

        var ids = new HashSet<string>();
        for (var i = 0; i < 20; i++)
            ids.Add(Assert.Single((await Client.GetAsync("/foo")).Headers.GetValues("X-Tollgate-Request-Id")));

        Assert.Equal(20, ids.Count);
    }

    [Fact]
    public async Task Upstream_status_codes_and_bodies_pass_through()
    {
        RouteFooAndBar();

        var response = await SendAsync(HttpMethod.Post, "/foo", ("x-echo-status", "418"));
        var created = await Client.PostAsync("/foo/things", new StringContent("hello body"));

        Assert.Equal((HttpStatusCode)418, response.StatusCode);
        var reply = await EchoReply.ReadAsync(created);
        Assert.Equal("POST", reply.Method);
        Assert.Equal("hello body", reply.Body);
    }

    [Fact]
    public async Task A_closed_upstream_port_gives_502()
    {
        var config = new GatewayConfig();
        config.Route(config.Service("dead", $$"""{"url": "http://127.0.0.1:{{FreePort.Next()}}", "retries": 2}"""), """{"paths": ["/dead"]}""");
        _gateway.Apply(config.Build());

        var response = await Client.GetAsync("/dead");

        await AssertKongErrorAsync(response, HttpStatusCode.BadGateway, "An invalid response was received from the upstream server");
    }

    [Fact]
    public async Task An_upstream_slower_than_the_read_timeout_gives_504()
    {
        var config = new GatewayConfig();
        config.Route(config.Service("slow", $$"""{"url": "{{_foo.Url}}", "read_timeout": 300}"""), """{"paths": ["/slow"]}""");
        _gateway.Apply(config.Build());

        var response = await SendAsync(HttpMethod.Get, "/slow", ("x-echo-delay-ms", "3000"));

        await AssertKongErrorAsync(response, HttpStatusCode.GatewayTimeout, "The upstream server is timing out");
        Assert.Equal(1, _foo.RequestCount);
    }

    [Fact]
    public async Task An_upstream_that_does_not_accept_the_connection_in_time_gives_504()
    {
        using var unresponsive = await UnresponsivePort.OpenAsync();
        var config = new GatewayConfig();
        config.Route(config.Service("hanging", $$"""{"url": "http://127.0.0.1:{{unresponsive.Port}}", "connect_timeout": 300, "retries": 0}"""),
            """{"paths": ["/hanging"]}""");
        _gateway.Apply(config.Build());

        var started = DateTime.UtcNow;
        var response = await Client.GetAsync("/hanging");

        await AssertKongErrorAsync(response, HttpStatusCode.GatewayTimeout, "The upstream server is timing out");
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_route_without_service_gives_503()
    {
        var config = new GatewayConfig();
        config.Route(null, """{"paths": ["/orphan"]}""");
        _gateway.Apply(config.Build());

        var response = await Client.GetAsync("/orphan");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("{\"message\":\"no Service found with those values\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Routes_of_a_disabled_service_answer_404()
    {
        var config = new GatewayConfig();
        config.Route(config.Service("off", $$"""{"url": "{{_foo.Url}}", "enabled": false}"""), """{"paths": ["/off"]}""");
        _gateway.Apply(config.Build());

        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/off")).StatusCode);
    }

    [Fact]
    public async Task Hosts_and_methods_select_routes()
    {
        var config = new GatewayConfig();
        config.Route(config.Service("foo", $$"""{"url": "{{_foo.Url}}"}"""), """{"hosts": ["*.example.com"], "methods": ["GET"]}""");
        config.Route(config.Service("bar", $$"""{"url": "{{_bar.Url}}"}"""), """{"hosts": ["api.example.com"], "methods": ["GET"]}""");
        _gateway.Apply(config.Build());

        Assert.Equal("bar", (await EchoReply.ReadAsync(await SendAsync(HttpMethod.Get, "/", ("Host", "api.example.com")))).Upstream);
        Assert.Equal("foo", (await EchoReply.ReadAsync(await SendAsync(HttpMethod.Get, "/", ("Host", "www.example.com")))).Upstream);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, "/", ("Host", "api.example.com"))).StatusCode);
    }

    [Fact]
    public async Task An_https_only_route_over_http_asks_for_https()
    {
        var config = new GatewayConfig();
        var service = config.Service("foo", $$"""{"url": "{{_foo.Url}}"}""");
        config.Route(service, """{"paths": ["/secure"], "protocols": ["https"]}""");
        config.Route(service, """{"paths": ["/moved"], "protocols": ["https"], "https_redirect_status_code": 301}""");
        _gateway.Apply(config.Build());

        var upgrade = await SendAsync(HttpMethod.Get, "/secure", ("Host", "shop.example.com"));
        var moved = await SendAsync(HttpMethod.Get, "/moved/a?b=1", ("Host", "shop.example.com:8000"));

        await AssertKongErrorAsync(upgrade, HttpStatusCode.UpgradeRequired, "Please use HTTPS protocol");
        Assert.Equal("TLS/1.2, HTTP/1.1", string.Join(", ", upgrade.Headers.Upgrade.Select(u => u.ToString())));
        Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
        Assert.Equal("https://shop.example.com/moved/a?b=1", moved.Headers.Location!.ToString());
        Assert.Equal(0, _foo.RequestCount);
    }

    [Fact]
    public async Task A_configuration_swap_does_not_disturb_a_request_in_flight()
    {
        RouteFooAndBar();
        var slow = SendAsync(HttpMethod.Get, "/foo/slow", ("x-echo-delay-ms", "1500"));
        await WaitUntilAsync(() => _foo.RequestCount == 1);

        // /foo now leads to the bar upstream, with a service path and a read timeout the first request never had.
        var config = new GatewayConfig();
        config.Route(config.Service("bar", $$"""{"url": "{{_bar.Url}}/v2", "read_timeout": 1000}"""), """{"paths": ["/foo"]}""");
        _gateway.Apply(config.Build(version: 2));

        var after = await EchoReply.ReadAsync(await Client.GetAsync("/foo/fast"));
        var before = await EchoReply.ReadAsync(await slow);

        Assert.Equal("bar", after.Upstream);
        Assert.Equal("/v2/fast", after.Path);
        Assert.Equal("foo", before.Upstream);
        Assert.Equal("/slow", before.Path);
    }

    [Fact]
    public async Task Upstream_clients_are_shared_by_services_with_the_same_settings()
    {
        RouteFooAndBar();
        await Client.GetAsync("/foo");
        await Client.GetAsync("/bar");
        RouteFooAndBar();
        await Client.GetAsync("/foo");

        var clients = (Gateway.Proxy.Proxying.UpstreamClients)_gateway.Services.GetService(typeof(Gateway.Proxy.Proxying.UpstreamClients))!;
        Assert.Equal(1, clients.Count);
    }

    [Fact]
    public async Task A_client_that_leaves_before_its_answer_is_counted_as_499()
    {
        await using var hanging = ScriptedUpstream.Start(UpstreamAct.Hang);
        var config = new GatewayConfig();
        config.Route(config.Service("hanging", $$"""{"url": "{{hanging.Url}}"}"""), """{"paths": ["/hang"]}""");
        _gateway.Apply(config.Build());

        // The client leaves once the request has reached the upstream, however slow the machine is.
        using var impatient = new CancellationTokenSource();
        var call = Client.GetAsync("/hang", impatient.Token);
        var reached = DateTime.UtcNow.AddSeconds(10);
        while (hanging.Requests.IsEmpty && DateTime.UtcNow < reached) await Task.Delay(10);
        Assert.False(hanging.Requests.IsEmpty, "the request reached the upstream");
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_gateway.Metrics.ResponsesWithStatus(499) == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(1, _gateway.Metrics.ResponsesWithStatus(499));
        Assert.Equal(0, _gateway.Metrics.ResponsesWithStatus(400));
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers)
        {
            if (name == "Host") request.Headers.Host = value;
            else request.Headers.TryAddWithoutValidation(name, value);
        }
        return Client.SendAsync(request);
    }

    internal static async Task AssertKongErrorAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal(message, json.RootElement.GetProperty("message").GetString());
        Assert.Equal(Assert.Single(response.Headers.GetValues("X-Tollgate-Request-Id")), json.RootElement.GetProperty("request_id").GetString());
        Assert.Equal("tollgate/0.1.0", string.Join(",", response.Headers.Server.Select(s => s.ToString())));
        Assert.True(response.Headers.Contains("X-Tollgate-Response-Latency"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(10);
        }
    }
}
