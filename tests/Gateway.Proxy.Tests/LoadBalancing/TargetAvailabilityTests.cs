using Gateway.Proxy.LoadBalancing;
using static Gateway.Proxy.Tests.LoadBalancing.BalancerFixtures;

namespace Gateway.Proxy.Tests.LoadBalancing;

/// <summary>Every algorithm gives no traffic to unhealthy targets and none at all to an unhealthy upstream.</summary>
public class TargetAvailabilityTests
{
    private sealed class Availability(int count) : ITargetAvailability
    {
        public bool[] Healthy { get; } = Enumerable.Repeat(true, count).ToArray();
        public bool Upstream { get; set; } = true;
        public bool UpstreamAvailable => Upstream;
        public bool IsAvailable(int target) => Healthy[target];
    }

    public static TheoryData<string> Algorithms => ["round-robin", "least-connections", "consistent-hashing"];

    private static Balancer Create(string algorithm, BalancerTarget[] targets, ITargetAvailability availability) => algorithm switch
    {
        "least-connections" => new LeastConnectionsBalancer(targets, availability),
        "consistent-hashing" => new ConsistentHashingBalancer(targets, 1000, new HashKey("ip", null), HashKey.None, "/", availability),
        _ => new RoundRobinBalancer(targets, availability),
    };

    private static int[] Spread(Balancer balancer, int picks) =>
        balancer.Distribution(picks, i => Context("10.1." + (i / 200) + "." + (i % 200 + 1)));

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void An_unhealthy_target_gets_nothing_and_the_others_share_its_load(string algorithm)
    {
        var availability = new Availability(3);
        var balancer = Create(algorithm, Targets(100, 100, 100), availability);
        availability.Healthy[1] = false;

        var counts = Spread(balancer, 600);

        Assert.Equal(0, counts[1]);
        Assert.True(counts[0] > 0 && counts[2] > 0, string.Join(",", counts));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_recovered_target_gets_traffic_again(string algorithm)
    {
        var availability = new Availability(2);
        var balancer = Create(algorithm, Targets(100, 100), availability);
        availability.Healthy[0] = false;
        Assert.Equal(0, Spread(balancer, 100)[0]);

        availability.Healthy[0] = true;

        Assert.True(Spread(balancer, 200)[0] > 0);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void With_every_target_unhealthy_there_is_no_pick(string algorithm)
    {
        var availability = new Availability(2);
        var balancer = Create(algorithm, Targets(100, 100), availability);
        availability.Healthy[0] = availability.Healthy[1] = false;

        Assert.Equal(-1, balancer.PickOnce(Context("10.0.0.1")));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void An_unhealthy_upstream_gives_no_target_even_when_some_are_healthy(string algorithm)
    {
        var availability = new Availability(2) { Upstream = false };
        var balancer = Create(algorithm, Targets(100, 100), availability);

        Assert.Equal(-1, balancer.PickOnce(Context("10.0.0.1")));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_retry_goes_back_to_the_failed_target_only_when_it_is_the_last_healthy_one(string algorithm)
    {
        var availability = new Availability(3);
        var balancer = Create(algorithm, Targets(100, 100, 100), availability);
        var state = new BalancerState();
        var first = balancer.Pick(Context("10.0.0.1"), ref state);
        for (var i = 0; i < 3; i++) availability.Healthy[i] = i == first;

        Assert.Equal(first, balancer.Pick(Context("10.0.0.1"), ref state));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_retry_does_not_go_to_an_unhealthy_target(string algorithm)
    {
        var availability = new Availability(3);
        var balancer = Create(algorithm, Targets(100, 100, 100), availability);
        for (var request = 0; request < 30; request++)
        {
            var state = new BalancerState();
            var first = balancer.Pick(Context("10.0.0." + (request + 1)), ref state);
            var unhealthy = (first + 1) % 3;
            availability.Healthy[unhealthy] = false;

            var second = balancer.Pick(Context("10.0.0." + (request + 1)), ref state);

            Assert.NotEqual(first, second);
            Assert.NotEqual(unhealthy, second);
            balancer.Release(first);
            balancer.Release(second);
            availability.Healthy[unhealthy] = true;
        }
    }

    [Fact]
    public void Consistent_hashing_moves_only_the_unhealthy_targets_clients()
    {
        var availability = new Availability(3);
        var balancer = Create("consistent-hashing", Targets(100, 100, 100), availability);
        var before = Enumerable.Range(0, 300).Select(i => balancer.PickOnce(Context("10.2.0." + (i % 250 + 1) + "", "/"))).ToArray();
        availability.Healthy[2] = false;

        var after = Enumerable.Range(0, 300).Select(i => balancer.PickOnce(Context("10.2.0." + (i % 250 + 1)))).ToArray();

        for (var i = 0; i < before.Length; i++)
        {
            if (before[i] != 2) Assert.Equal(before[i], after[i]);
            else Assert.NotEqual(2, after[i]);
        }
    }
}
