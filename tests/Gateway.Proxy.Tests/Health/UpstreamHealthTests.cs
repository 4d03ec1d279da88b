using Gateway.Proxy.Entities;
using Gateway.Proxy.Health;
using Gateway.Proxy.LoadBalancing;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Tests.Health;

public class UpstreamHealthTests
{
    private static readonly Guid UpstreamId = Guid.NewGuid();

    private static Upstream Upstream(double threshold = 0, int timeouts = 1) => new()
    {
        Id = UpstreamId,
        Name = "pool",
        Healthchecks = new UpstreamHealthchecks
        {
            Threshold = threshold,
            Passive = new PassiveHealthcheck { Unhealthy = new PassiveUnhealthy { Timeouts = timeouts } },
        },
    };

    private static UpstreamHealth Health(Upstream upstream, TargetHealthRegistry registry, params int[] weights) =>
        new(upstream, weights.Select((w, i) => new BalancerTarget("10.0.0." + (i + 1), 80, w)).ToArray(), registry);

    [Theory]
    [InlineData(0, 0, false)]
    [InlineData(100, 1, true)]
    [InlineData(100, 0, false)]
    [InlineData(100, 50, false)]
    [InlineData(100, 51, true)]
    public void The_upstream_is_healthy_when_its_healthy_weight_is_above_the_threshold(long total, long available, bool healthy)
    {
        Assert.Equal(healthy, UpstreamHealth.IsHealthy(total, available, threshold: total == 100 && available is 50 or 51 ? 50 : 0));
    }

    [Fact]
    public void A_threshold_of_100_is_never_met_as_in_Kong()
    {
        Assert.False(UpstreamHealth.IsHealthy(100, 100, 100));
    }

    [Fact]
    public void The_verdict_follows_the_targets_as_they_change_sides()
    {
        var health = Health(Upstream(threshold: 40), new TargetHealthRegistry(), 60, 40);
        Assert.True(health.UpstreamAvailable);

        health.States[0].Force(healthy: false);
        Assert.False(health.UpstreamAvailable);
        Assert.Equal((100L, 40L), health.Weights());

        health.States[0].Force(healthy: true);
        health.States[1].Force(healthy: false);
        Assert.True(health.UpstreamAvailable);
    }

    [Fact]
    public void With_every_target_unhealthy_the_upstream_is_unhealthy_even_without_threshold()
    {
        var health = Health(Upstream(), new TargetHealthRegistry(), 10, 10);

        health.States[0].Force(healthy: false);
        Assert.True(health.UpstreamAvailable);
        health.States[1].Force(healthy: false);
        Assert.False(health.UpstreamAvailable);
    }

    [Fact]
    public void Targets_of_an_upstream_with_checks_keep_their_state_in_the_registry()
    {
        var registry = new TargetHealthRegistry();
        var first = Health(Upstream(), registry, 10, 10);
        first.States[1].Force(healthy: false);

        var second = Health(Upstream(), registry, 10, 10);

        Assert.Same(first.States[1], second.States[1]);
        Assert.False(second.IsAvailable(1));
        Assert.Equal(2, registry.Count);
    }

    [Fact]
    public void The_registry_forgets_targets_that_left_the_configuration_in_service()
    {
        var registry = new TargetHealthRegistry();
        var first = Health(Upstream(), registry, 10, 10);
        first.States[1].Force(healthy: false);

        var withOneTarget = Health(Upstream(), registry, 10);
        registry.Retain(withOneTarget.States);
        var again = Health(Upstream(), registry, 10, 10);

        Assert.Equal(2, registry.Count);
        Assert.True(again.IsAvailable(1));
    }

    [Fact]
    public void Without_checks_targets_are_not_tracked_and_stay_healthy()
    {
        var registry = new TargetHealthRegistry();
        var health = Health(Upstream(timeouts: 0), registry, 10);

        Assert.False(health.ChecksEnabled);
        Assert.Null(health.Passive);
        Assert.Equal(0, registry.Count);
        Assert.Equal("HEALTHCHECKS_OFF", health.HealthOf(health.States[0]));
    }

    [Fact]
    public void Kongs_defaults_leave_health_out_of_balancing()
    {
        var health = Health(new Upstream { Id = UpstreamId, Name = "pool" }, new TargetHealthRegistry(), 10);

        Assert.False(health.AffectsTraffic);
        Assert.Null(health.Active);
    }

    [Fact]
    public void Each_change_of_side_is_counted()
    {
        var health = Health(Upstream(), new TargetHealthRegistry(), 10);
        var target = health.States[0];
        var rules = health.Passive!;

        target.Report(HealthSignal.Timeout, rules, "passive");
        target.Report(HealthSignal.Timeout, rules, "passive");
        target.Force(healthy: true);

        Assert.Equal((1L, 1L), (target.BecameUnhealthy, target.BecameHealthy));
    }

    [Fact]
    public void The_prober_key_changes_with_the_targets_and_the_active_settings()
    {
        var active = new UpstreamHealthchecks { Active = new ActiveHealthcheck { Healthy = new ActiveHealthy { Interval = 1 } } };
        var upstream = new Upstream { Id = UpstreamId, Name = "pool", Healthchecks = active };
        var registry = new TargetHealthRegistry();

        var key = Health(upstream, registry, 10, 10).ProbeKey;

        Assert.Equal(key, Health(upstream, registry, 10, 10).ProbeKey);
        Assert.NotEqual(key, Health(upstream, registry, 10).ProbeKey);
        var slower = upstream with { Healthchecks = active with { Active = active.Active with { Healthy = new ActiveHealthy { Interval = 2 } } } };
        Assert.NotEqual(key, Health(slower, registry, 10, 10).ProbeKey);
    }
}
