using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gateway.Proxy.IntegrationTests.Proxying;
using Xunit.Abstractions;
using static Gateway.Proxy.IntegrationTests.Health.HealthTesting;

namespace Gateway.Proxy.IntegrationTests.Health;

/// <summary>
/// Passive checks, the circuit breaker: what proxied requests meet at a target (a refused connection, no answer, 500s)
/// takes it out of balancing after its threshold, while the healthy target serves the requests.
/// </summary>
public sealed class PassiveHealthCheckTests(ITestOutputHelper output) : TwoTargetPool
{
    [Fact]
    public async Task A_killed_target_is_unhealthy_after_its_tcp_failures_and_the_other_target_serves()
    {
        Apply("""{"passive": {"unhealthy": {"tcp_failures": 2}}}""");
        Assert.Equal(["a", "b"], (await SendAsync(2)).Select(a => a.Body).Order());

        await A.StopAsync();
        var answers = await SendAsync(20);

        Assert.Equal(2, answers.Count(a => a.Status == 502));
        Assert.All(answers.Where(a => a.Status != 502), a => Assert.Equal((200, "b"), a));
        Assert.All(answers.Skip(4), a => Assert.Equal((200, "b"), a));
        Assert.False(Healthy(A));
    }

    [Fact]
    public async Task With_retries_the_client_sees_no_error_while_a_killed_target_is_found_out()
    {
        Apply("""{"passive": {"unhealthy": {"tcp_failures": 1}}}""", "\"retries\": 5");
        await A.StopAsync();

        var answers = await SendAsync(10);

        Assert.All(answers, a => Assert.Equal((200, "b"), a));
        Assert.False(Healthy(A));
    }

    [Fact]
    public async Task A_target_answering_500_is_unhealthy_after_its_http_failures()
    {
        Apply("""{"passive": {"unhealthy": {"http_failures": 3}}}""");
        A.Status = 500;

        var answers = await SendAsync(20);

        Assert.Equal(3, answers.Count(a => a.Status == 500));
        Assert.Equal(3, A.Requests);
        Assert.All(answers.Where(a => a.Status != 500), a => Assert.Equal((200, "b"), a));
        Assert.All(answers.Skip(6), a => Assert.Equal((200, "b"), a));
    }

    [Fact]
    public async Task Statuses_not_listed_as_unhealthy_do_not_count()
    {
        Apply("""{"passive": {"unhealthy": {"http_failures": 1, "http_statuses": [503]}}}""");
        A.Status = 500;

        var answers = await SendAsync(10);

        Assert.Equal(5, answers.Count(a => a.Status == 500));
        Assert.True(Healthy(A));
    }

    [Fact]
    public async Task Without_checks_a_failing_target_keeps_its_share()
    {
        Apply("{}");
        A.Status = 500;

        var answers = await SendAsync(10);

        Assert.Equal(5, answers.Count(a => a.Status == 500));
    }

    [Fact]
    public async Task A_hanging_target_costs_one_read_timeout_then_its_requests_are_served_by_the_other()
    {
        const int readTimeoutMs = 1000;
        Apply("""{"passive": {"unhealthy": {"timeouts": 1}}}""", $"\"retries\": 0, \"read_timeout\": {readTimeoutMs}");
        Assert.Equal(2, (await SendAsync(2)).Count(a => a.Status == 200));

        // Four clients keep sending while target a stops answering.
        var clock = Stopwatch.StartNew();
        A.Hang = true;
        var hungAt = clock.Elapsed;
        var log = new List<(TimeSpan Start, TimeSpan End, int Status, string Body)>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(3))
            {
                var start = clock.Elapsed;
                var (status, body) = await GetAsync(Gateway);
                lock (log) log.Add((start, clock.Elapsed, status, body));
            }
        }));

        var caught = log.Where(r => r.Status != 200).ToList();
        Assert.NotEmpty(caught);
        Assert.All(caught, r => Assert.Equal(504, r.Status));
        var firstTimeout = caught.Min(r => r.End);
        // Every request sent after the first timeout (allowing for one already picked) was served by b.
        var after = log.Where(r => r.Start > firstTimeout + TimeSpan.FromMilliseconds(50)).ToList();
        Assert.NotEmpty(after);
        Assert.All(after, r => Assert.Equal((200, "b"), (r.Status, r.Body)));
        Assert.InRange(caught.Count, 1, 5);

        var report = string.Create(CultureInfo.InvariantCulture,
            $"hanging target (passive timeouts 1, read_timeout {readTimeoutMs} ms, 4 clients): marked unhealthy {(firstTimeout - hungAt).TotalMilliseconds:F0} ms after it hung; "
            + $"{caught.Count} requests caught on it, the slowest answered 504 after {caught.Max(r => (r.End - r.Start).TotalMilliseconds):F0} ms; "
            + $"the last request sent to it left {(caught.Max(r => r.Start) - hungAt).TotalMilliseconds:F0} ms after it hung; "
            + $"{after.Count} later requests all served by the healthy target (median {Median(after.Select(r => (r.End - r.Start).TotalMilliseconds)):F1} ms)");
        output.WriteLine(report);
        Console.WriteLine(report);
    }

    [Fact]
    public async Task With_every_target_unhealthy_the_answer_is_503_at_once()
    {
        Apply("""{"passive": {"unhealthy": {"timeouts": 1}}}""", "\"retries\": 0, \"read_timeout\": 1000");
        A.Hang = B.Hang = true;
        var first = await Task.WhenAll(GetAsync(Gateway), GetAsync(Gateway));
        Assert.All(first, a => Assert.Equal(504, a.Status));
        var reached = A.Requests + B.Requests;

        var clock = Stopwatch.StartNew();
        using var response = await Gateway.Client.GetAsync("/pool");
        var elapsed = clock.Elapsed;

        await ProxyingTests.AssertKongErrorAsync(response, HttpStatusCode.ServiceUnavailable, "failure to get a peer from the ring-balancer");
        Assert.Equal(reached, A.Requests + B.Requests);
        Assert.True(elapsed < TimeSpan.FromMilliseconds(500), $"took {elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Below_the_threshold_the_whole_upstream_answers_503_though_a_target_is_healthy()
    {
        Apply("""{"passive": {"unhealthy": {"http_failures": 1}}, "threshold": 50}""");
        A.Status = 500;
        await SendAsync(2);
        var reached = B.Requests;

        using var response = await Gateway.Client.GetAsync("/pool");

        await ProxyingTests.AssertKongErrorAsync(response, HttpStatusCode.ServiceUnavailable, "failure to get a peer from the ring-balancer");
        Assert.Equal(reached, B.Requests);

        // Half the weight is healthy: above a threshold of 49, so b serves again; a keeps its state through the change.
        Apply("""{"passive": {"unhealthy": {"http_failures": 1}}, "threshold": 49}""");
        Assert.All(await SendAsync(4), a => Assert.Equal((200, "b"), a));
    }

    [Fact]
    public async Task Health_is_kept_across_a_configuration_swap_that_leaves_the_upstream_alone()
    {
        var config = Pool(UpstreamId, """{"passive": {"unhealthy": {"http_failures": 1}}}""", "\"retries\": 0", A, B);
        Gateway.Apply(config.Build(1));
        A.Status = 500;
        await SendAsync(2);
        var state = State(Gateway, UpstreamId, A);
        Assert.False(state.IsHealthy);

        config.Route(config.Service("other", $$"""{"url": "http://{{B.Address}}"}"""), """{"paths": ["/other"]}""");
        Gateway.Apply(config.Build(2));
        A.Status = 200;

        Assert.All(await SendAsync(6), a => Assert.Equal((200, "b"), a));
        Assert.Same(state, State(Gateway, UpstreamId, A));
        Assert.Equal((200, "b"), await GetAsync(Gateway, "/other"));
    }

    [Fact]
    public async Task A_target_that_leaves_and_comes_back_starts_healthy()
    {
        await using var c = await ControlledUpstream.StartAsync("c");
        const string checks = """{"passive": {"unhealthy": {"http_failures": 1}}}""";
        Gateway.Apply(Pool(UpstreamId, checks, "\"retries\": 0", A, B).Build(1));
        A.Status = 500;
        await SendAsync(2);
        Assert.False(Healthy(A));

        // Target a's address is replaced by c's: c is a new target, healthy.
        Gateway.Apply(Pool(UpstreamId, checks, "\"retries\": 0", c, B).Build(2));
        Assert.Equal(["b", "b", "c", "c"], (await SendAsync(4)).Select(a => a.Body).Order());

        // Back to a: its earlier state is gone, so it is tried again.
        Gateway.Apply(Pool(UpstreamId, checks, "\"retries\": 0", A, B).Build(3));
        A.Status = 200;
        Assert.Equal(["a", "a", "b", "b"], (await SendAsync(4)).Select(a => a.Body).Order());
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }
}
