using System.Net;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>Services pointing at upstreams: targets, weights, retries and affinity, over real HTTP.</summary>
public sealed class LoadBalancingTests : IAsyncLifetime
{
    private readonly List<EchoUpstream> _upstreams = [];
    private GatewayTestHost _gateway = null!;

    public async Task InitializeAsync()
    {
        for (var i = 0; i < 3; i++) _upstreams.Add(await EchoUpstream.StartAsync("echo-" + i));
        _gateway = await GatewayTestHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        foreach (var upstream in _upstreams) await upstream.DisposeAsync();
    }

    private HttpClient Client => _gateway.Client;

    private static string Target(EchoUpstream upstream) => "127.0.0.1:" + upstream.Port;

    /// <summary>A service on upstream "pool", routed at /pool, with the given targets (address, weight).</summary>
    private void Pool(string upstreamFields, int retries, params (string Address, int Weight)[] targets)
    {
        var config = new GatewayConfig();
        var upstream = config.Upstream("pool", upstreamFields);
        foreach (var (address, weight) in targets) config.Target(upstream, address, weight);
        var service = config.Service("svc", $$"""{"host": "pool", "retries": {{retries}}}""");
        config.Route(service, """{"paths": ["/pool"]}""");
        _gateway.Apply(config.Build());
    }

    [Fact]
    public async Task Weighted_round_robin_shares_requests_by_weight()
    {
        Pool("{}", 5, (Target(_upstreams[0]), 10), (Target(_upstreams[1]), 20), (Target(_upstreams[2]), 30));

        for (var i = 0; i < 60; i++) Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/pool")).StatusCode);

        Assert.Equal([10, 20, 30], _upstreams.Select(u => u.RequestCount));
    }

    [Fact]
    public async Task Targets_with_weight_zero_get_nothing()
    {
        Pool("{}", 5, (Target(_upstreams[0]), 0), (Target(_upstreams[1]), 100));

        for (var i = 0; i < 6; i++) await Client.GetAsync("/pool");

        Assert.Equal(0, _upstreams[0].RequestCount);
        Assert.Equal(6, _upstreams[1].RequestCount);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_on_the_next_target()
    {
        Pool("{}", 1, ("127.0.0.1:" + FreePort.Next(), 100), (Target(_upstreams[0]), 100));

        for (var i = 0; i < 6; i++)
        {
            var reply = await EchoReply.ReadAsync(await Client.PostAsync("/pool", new StringContent("payload " + i)));
            Assert.Equal("payload " + i, reply.Body);
        }

        Assert.Equal(6, _upstreams[0].RequestCount);
    }

    [Fact]
    public async Task A_connect_timeout_is_retried_on_the_next_target()
    {
        using var unresponsive = await UnresponsivePort.OpenAsync();
        var config = new GatewayConfig();
        var upstream = config.Upstream("pool");
        config.Target(upstream, "127.0.0.1:" + unresponsive.Port);
        config.Target(upstream, Target(_upstreams[0]));
        config.Route(config.Service("svc", """{"host": "pool", "retries": 1, "connect_timeout": 200}"""), """{"paths": ["/pool"]}""");
        _gateway.Apply(config.Build());

        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/pool")).StatusCode);

        Assert.Equal(4, _upstreams[0].RequestCount);
    }

    [Fact]
    public async Task When_every_try_fails_the_client_gets_502()
    {
        Pool("{}", 3, ("127.0.0.1:" + FreePort.Next(), 100), ("127.0.0.1:" + FreePort.Next(), 100));

        var response = await Client.GetAsync("/pool");

        await ProxyingTests.AssertKongErrorAsync(response, HttpStatusCode.BadGateway, "An invalid response was received from the upstream server");
    }

    [Fact]
    public async Task With_no_retries_a_refused_connection_is_final()
    {
        Pool("{}", 0, ("127.0.0.1:" + FreePort.Next(), 100), (Target(_upstreams[0]), 100));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) statuses.Add((await Client.GetAsync("/pool")).StatusCode);

        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.BadGateway));
        Assert.Equal(2, _upstreams[0].RequestCount);
    }

    [Fact]
    public async Task An_upstream_without_targets_in_rotation_gives_503()
    {
        Pool("{}", 5, (Target(_upstreams[0]), 0));

        var response = await Client.GetAsync("/pool");

        await ProxyingTests.AssertKongErrorAsync(response, HttpStatusCode.ServiceUnavailable, "failure to get a peer from the ring-balancer");
    }

    [Fact]
    public async Task The_upstream_host_header_replaces_the_targets_name()
    {
        Pool("""{"host_header": "orders.internal"}""", 5, (Target(_upstreams[0]), 100));

        var reply = await EchoReply.ReadAsync(await Client.GetAsync("/pool"));

        Assert.Equal("orders.internal", reply.Header("host"));
    }

    [Fact]
    public async Task Without_host_header_the_target_address_is_the_host()
    {
        Pool("{}", 5, (Target(_upstreams[0]), 100));

        var reply = await EchoReply.ReadAsync(await Client.GetAsync("/pool"));

        Assert.Equal(Target(_upstreams[0]), reply.Header("host"));
    }

    [Fact]
    public async Task Consistent_hashing_keeps_a_user_on_one_target()
    {
        Pool("""{"algorithm": "consistent-hashing", "hash_on": "header", "hash_on_header": "x-user"}""", 5,
            (Target(_upstreams[0]), 100), (Target(_upstreams[1]), 100), (Target(_upstreams[2]), 100));

        var reachedBy = new Dictionary<string, HashSet<string>>();
        for (var user = 0; user < 12; user++)
        {
            for (var i = 0; i < 3; i++)
            {
                var request = new HttpRequestMessage(HttpMethod.Get, "/pool");
                request.Headers.Add("x-user", "user-" + user);
                var reply = await EchoReply.ReadAsync(await Client.SendAsync(request));
                if (!reachedBy.TryGetValue("user-" + user, out var set)) reachedBy["user-" + user] = set = [];
                set.Add(reply.Upstream);
            }
        }

        Assert.All(reachedBy.Values, upstreams => Assert.Single(upstreams));
        Assert.True(reachedBy.Values.Select(s => s.Single()).Distinct().Count() > 1, "all users landed on one target");
    }

    [Fact]
    public async Task Hashing_on_a_missing_cookie_hands_the_client_one()
    {
        Pool("""{"algorithm": "consistent-hashing", "hash_on": "cookie", "hash_on_cookie": "route-id", "hash_on_cookie_path": "/pool"}""", 5,
            (Target(_upstreams[0]), 100), (Target(_upstreams[1]), 100));

        var first = await Client.GetAsync("/pool");
        var cookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
        Assert.Matches("^route-id=[0-9a-f-]{36}; Path=/pool$", cookie);
        var upstream = (await EchoReply.ReadAsync(first)).Upstream;

        for (var i = 0; i < 5; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/pool");
            request.Headers.Add("Cookie", cookie.Split(';')[0]);
            var response = await Client.SendAsync(request);
            Assert.False(response.Headers.Contains("Set-Cookie"));
            Assert.Equal(upstream, (await EchoReply.ReadAsync(response)).Upstream);
        }
    }

    [Fact]
    public async Task Least_connections_avoids_the_busy_target()
    {
        Pool("""{"algorithm": "least-connections"}""", 5, (Target(_upstreams[0]), 100), (Target(_upstreams[1]), 100));
        var slowRequest = new HttpRequestMessage(HttpMethod.Get, "/pool");
        slowRequest.Headers.Add("x-echo-delay-ms", "1500");
        var slow = Client.SendAsync(slowRequest);
        while (_upstreams[0].RequestCount + _upstreams[1].RequestCount == 0) await Task.Delay(10);
        var busy = _upstreams[0].RequestCount == 1 ? _upstreams[0] : _upstreams[1];

        var quick = new List<string>();
        for (var i = 0; i < 4; i++) quick.Add((await EchoReply.ReadAsync(await Client.GetAsync("/pool"))).Upstream);

        Assert.DoesNotContain(busy == _upstreams[0] ? "echo-0" : "echo-1", quick);
        Assert.Equal(HttpStatusCode.OK, (await slow).StatusCode);
    }
}
