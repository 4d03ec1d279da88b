using Gateway.Proxy.Entities;
using Gateway.Proxy.LoadBalancing;
using Gateway.Proxy.Schema;
using static Gateway.Proxy.Tests.LoadBalancing.BalancerFixtures;

namespace Gateway.Proxy.Tests.LoadBalancing;

public class RoundRobinBalancerTests
{
    [Fact]
    public void Equal_weights_take_turns()
    {
        var balancer = new RoundRobinBalancer(Targets(100, 100, 100));

        var picks = Enumerable.Range(0, 6).Select(_ => balancer.PickOnce(Context())).ToArray();

        Assert.Equal([0, 1, 2, 0, 1, 2], picks);
    }

    [Fact]
    public void Weights_are_interleaved_smoothly()
    {
        var balancer = new RoundRobinBalancer(Targets(5, 1, 1));

        var picks = Enumerable.Range(0, 7).Select(_ => balancer.PickOnce(Context())).ToArray();

        Assert.Equal([0, 0, 1, 0, 2, 0, 0], picks);
    }

    [Fact]
    public void Each_full_cycle_gives_every_target_exactly_its_share()
    {
        var balancer = new RoundRobinBalancer(Targets(50, 30, 20));

        Assert.Equal([500, 300, 200], balancer.Distribution(1000));
    }

    [Fact]
    public void The_cycle_is_shortened_by_the_common_divisor_of_the_weights()
    {
        Assert.Equal(3, RoundRobinBalancer.SmoothSequence(Targets(100, 100, 100)).Length);
        Assert.Equal(10, RoundRobinBalancer.SmoothSequence(Targets(500, 300, 200)).Length);
    }

    [Fact]
    public void Very_long_cycles_are_cut_and_stay_close_to_the_weights()
    {
        var balancer = new RoundRobinBalancer(Targets(65535, 65534, 3));
        var counts = balancer.Distribution(RoundRobinBalancer.MaxSequenceLength);

        Assert.Equal(RoundRobinBalancer.MaxSequenceLength, counts.Sum());
        Assert.InRange(counts[2], 0, 3);
        Assert.InRange(counts[0] - counts[1], -2, 2);
    }

    [Fact]
    public void Concurrent_picks_keep_the_shares()
    {
        var balancer = new RoundRobinBalancer(Targets(3, 1));
        var counts = new int[2];

        Parallel.For(0, 4000, _ => Interlocked.Increment(ref counts[balancer.PickOnce(Context())]));

        Assert.Equal([3000, 1000], counts);
    }

    [Fact]
    public void A_retry_goes_to_another_target()
    {
        var balancer = new RoundRobinBalancer(Targets(100, 100, 100));
        for (var i = 0; i < 10; i++)
        {
            var state = new BalancerState();
            var first = balancer.Pick(Context(), ref state);
            var second = balancer.Pick(Context(), ref state);
            Assert.NotEqual(first, second);
        }
    }

    [Fact]
    public void A_single_target_is_retried_on_itself()
    {
        var balancer = new RoundRobinBalancer(Targets(10));
        var state = new BalancerState();

        Assert.Equal(0, balancer.Pick(Context(), ref state));
        Assert.Equal(0, balancer.Pick(Context(), ref state));
    }

    [Fact]
    public void Targets_with_weight_zero_are_out_of_rotation()
    {
        var upstream = new Upstream { Id = Guid.NewGuid(), Name = "pool" };
        Target Target(string address, int weight) => new() { Address = address, Weight = weight, Upstream = new EntityRef(upstream.Id) };

        var balancer = Balancers.Create(upstream, [Target("b:1", 0), Target("a:1", 10), Target("c:1", 5)]);

        Assert.Equal(["a:1", "c:1"], balancer.Targets.Select(t => t.Address));
    }

    [Fact]
    public void No_target_in_rotation_means_no_pick()
    {
        var upstream = new Upstream { Id = Guid.NewGuid(), Name = "pool" };
        var balancer = Balancers.Create(upstream, [new Target { Address = "a:1", Weight = 0, Upstream = new EntityRef(upstream.Id) }]);

        Assert.Equal(-1, balancer.PickOnce(Context()));
        Assert.Equal(-1, new RoundRobinBalancer([]).PickOnce(Context()));
    }
}
