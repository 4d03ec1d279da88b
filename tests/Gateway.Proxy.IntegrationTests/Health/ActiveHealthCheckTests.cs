using Gateway.Proxy.IntegrationTests.Proxying;
using static Gateway.Proxy.IntegrationTests.Health.HealthTesting;

namespace Gateway.Proxy.IntegrationTests.Health;

/// <summary>Active checks: a background probe of every target finds failures without traffic and brings targets back.</summary>
public sealed class ActiveHealthCheckTests : TwoTargetPool
{
    private async Task<bool> ServedByAsync(ControlledUpstream target, int tries = 4)
    {
        for (var i = 0; i < tries; i++)
            if ((await GetAsync(Gateway)).Body == target.Name) return true;
        return false;
    }

    [Fact]
    public async Task A_target_marked_unhealthy_by_traffic_is_brought_back_by_the_probe()
    {
        Apply("""
            {"passive": {"unhealthy": {"http_failures": 1}},
             "active": {"http_path": "/health", "headers": {"X-Probe": ["tollgate"]},
                        "unhealthy": {"interval": 0.1}, "healthy": {"successes": 2}}}
            """);
        A.Status = 500;
        await ServedByAsync(A);
        Assert.False(Healthy(A));
        Assert.False(await ServedByAsync(A, tries: 6));

        var probesBefore = A.Probes;
        A.Status = 200;
        await WaitUntilAsync(() => Healthy(A), "the probe finds target a healthy");

        Assert.True(A.Probes - probesBefore >= 2, $"{A.Probes - probesBefore} probes");
        Assert.True(await ServedByAsync(A));
        Assert.Contains(A.ProbeHeaders, headers => headers.GetValueOrDefault("x-probe") == "tollgate"
                                                    && headers.GetValueOrDefault("connection") == "close"
                                                    && headers.GetValueOrDefault("host") == "127.0.0.1");
        // Only unhealthy targets are probed here (healthy.interval is 0).
        Assert.Equal(0, B.Probes);
    }

    [Fact]
    public async Task A_killed_target_comes_back_through_the_probe_once_it_listens_again()
    {
        Apply("""
            {"passive": {"unhealthy": {"tcp_failures": 1}},
             "active": {"http_path": "/health", "unhealthy": {"interval": 0.1}, "healthy": {"successes": 1}}}
            """, "\"retries\": 3");
        await A.StopAsync();
        Assert.All(await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => GetAsync(Gateway))), a => Assert.Equal((200, "b"), a));
        Assert.False(Healthy(A));

        await A.StartAgainAsync();
        await WaitUntilAsync(() => Healthy(A), "the probe finds target a listening again");

        Assert.True(await ServedByAsync(A));
    }

    [Fact]
    public async Task The_probe_finds_a_failing_target_without_any_traffic()
    {
        Apply("""{"active": {"http_path": "/health", "healthy": {"interval": 0.1}, "unhealthy": {"http_failures": 2}}}""");
        A.Status = 503;

        await WaitUntilAsync(() => !Healthy(A), "the probe finds target a failing");

        Assert.Equal(0, A.Requests);
        Assert.True(A.Probes >= 2);
        Assert.False(await ServedByAsync(A, tries: 6));
    }

    [Fact]
    public async Task A_probe_that_gets_no_answer_counts_as_a_timeout()
    {
        Apply("""{"active": {"http_path": "/health", "timeout": 0.2, "healthy": {"interval": 0.1}, "unhealthy": {"timeouts": 1}}}""");
        A.Hang = true;

        await WaitUntilAsync(() => !Healthy(A), "the probe times out on target a");

        Assert.Equal(0, A.Requests);
    }

    [Fact]
    public async Task A_tcp_probe_only_connects()
    {
        Apply("""
            {"active": {"type": "tcp", "healthy": {"interval": 0.1, "successes": 1},
                        "unhealthy": {"interval": 0.1, "tcp_failures": 1}}}
            """);
        await A.StopAsync();
        await WaitUntilAsync(() => !Healthy(A), "the connection to target a is refused");

        await A.StartAgainAsync();
        await WaitUntilAsync(() => Healthy(A), "target a accepts connections again");

        Assert.Equal(0, A.Probes);
    }

    [Fact]
    public async Task A_prober_keeps_its_pace_through_configuration_swaps_that_do_not_concern_it()
    {
        var config = Pool(UpstreamId, """{"active": {"http_path": "/health", "healthy": {"interval": 0.2}}}""", "\"retries\": 0", A, B);
        Gateway.Apply(config.Build(1));
        var probesBefore = A.Probes;

        // A swap every 50 ms, for a second: a prober restarted by each would never reach its first probe.
        for (var version = 2; version < 22; version++)
        {
            config.Route(config.Service("other" + version, $$"""{"url": "http://{{B.Address}}"}"""), $$"""{"paths": ["/other{{version}}"]}""");
            Gateway.Apply(config.Build(version));
            await Task.Delay(50);
        }

        Assert.True(A.Probes - probesBefore >= 2, $"{A.Probes - probesBefore} probes");
    }

    [Fact]
    public async Task Probing_stops_when_the_checks_are_turned_off()
    {
        Apply("""{"active": {"http_path": "/health", "healthy": {"interval": 0.05}}}""");
        await WaitUntilAsync(() => A.Probes > 0, "the first probe");

        Apply("{}");
        var settled = A.Probes;
        await Task.Delay(300);

        Assert.InRange(A.Probes, settled, settled + 1);
        Assert.Empty(Gateway.Services.GetRequiredService<Gateway.Proxy.Health.ActiveHealthChecks>().Probers);
    }
}

/// <summary>Active https probes: the TLS handshake, the server name sent and certificate verification as configured.</summary>
public sealed class ActiveHttpsHealthCheckTests : IAsyncLifetime
{
    private readonly Guid _upstreamId = Guid.NewGuid();
    private GatewayTestHost _gateway = null!;
    private ControlledUpstream _a = null!;

    public async Task InitializeAsync()
    {
        _a = await ControlledUpstream.StartAsync("a", certificate: Certificate("probe.example"));
        _gateway = await GatewayTestHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _a.DisposeAsync();
    }

    private void Apply(string active) =>
        _gateway.Apply(Pool(_upstreamId, $$"""{"active": {{active}}}""", "\"protocol\": \"https\"", _a).Build());

    [Fact]
    public async Task An_https_probe_sends_the_configured_server_name()
    {
        Apply("""
            {"type": "https", "http_path": "/health", "https_sni": "probe.example", "https_verify_certificate": false,
             "healthy": {"interval": 0.1}, "unhealthy": {"tcp_failures": 1}}
            """);

        await WaitUntilAsync(() => _a.Probes >= 2, "two https probes");

        Assert.Contains("probe.example", _a.ServerNames);
        Assert.True(State(_gateway, _upstreamId, _a).IsHealthy);
    }

    [Fact]
    public async Task A_certificate_that_does_not_verify_fails_the_probe()
    {
        Apply("""{"type": "https", "https_sni": "probe.example", "healthy": {"interval": 0.1}, "unhealthy": {"tcp_failures": 1}}""");

        await WaitUntilAsync(() => !State(_gateway, _upstreamId, _a).IsHealthy, "the self-signed certificate is refused");

        Assert.Equal(0, _a.Probes);
        Assert.Contains("probe.example", _a.ServerNames);
    }
}
