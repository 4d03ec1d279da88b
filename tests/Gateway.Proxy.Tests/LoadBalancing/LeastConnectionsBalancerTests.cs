using Gateway.Proxy.LoadBalancing;
using static Gateway.Proxy.Tests.LoadBalancing.BalancerFixtures;

namespace Gateway.Proxy.Tests.LoadBalancing;

public class LeastConnectionsBalancerTests
{
    [Fact]
    public void New_requests_go_to_the_target_with_fewest_in_flight()
    {
        var balancer = new LeastConnectionsBalancer(Targets(1, 1, 1));
        var first = balancer.PickOnce(Context());
        var second = balancer.PickOnce(Context());
        var third = balancer.PickOnce(Context());

        Assert.Equal(3, new[] { first, second, third }.Distinct().Count());

        balancer.Release(second);
        Assert.Equal(second, balancer.PickOnce(Context()));
    }

    [Fact]
    public void Weights_scale_the_load_a_target_takes()
    {
        var balancer = new LeastConnectionsBalancer(Targets(3, 1));

        // Nothing is released: in-flight requests pile up three to one.
        for (var i = 0; i < 8; i++) balancer.PickOnce(Context());

        Assert.Equal(6, balancer.InFlight(0));
        Assert.Equal(2, balancer.InFlight(1));
    }

    [Fact]
    public void Released_requests_no_longer_count()
    {
        var balancer = new LeastConnectionsBalancer(Targets(1, 1));
        var busy = balancer.PickOnce(Context());

        balancer.Release(busy);

        Assert.Equal(0, balancer.InFlight(busy));
    }

    [Fact]
    public void An_idle_upstream_spreads_requests_over_all_targets()
    {
        var balancer = new LeastConnectionsBalancer(Targets(1, 1, 1, 1));

        var counts = balancer.Distribution(400);

        Assert.All(counts, c => Assert.Equal(100, c));
    }

    [Fact]
    public void A_retry_avoids_the_target_that_failed()
    {
        var balancer = new LeastConnectionsBalancer(Targets(1, 1));
        var state = new BalancerState();
        var first = balancer.Pick(Context(), ref state);
        balancer.Release(first);

        var second = balancer.Pick(Context(), ref state);

        Assert.NotEqual(first, second);
    }
}
