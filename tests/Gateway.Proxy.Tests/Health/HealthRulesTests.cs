using Gateway.Proxy.Entities;
using Gateway.Proxy.Health;

namespace Gateway.Proxy.Tests.Health;

public class HealthRulesTests
{
    private static readonly HealthRules Passive = HealthRules.Of(new PassiveHealthcheck
    {
        Healthy = new PassiveHealthy { Successes = 2 },
        Unhealthy = new PassiveUnhealthy { HttpFailures = 3, TcpFailures = 4, Timeouts = 5 },
    });

    [Theory]
    [InlineData(200)]
    [InlineData(204)]
    [InlineData(308)]
    public void Listed_healthy_statuses_are_successes(int status)
    {
        Assert.Equal((HealthCounter.Successes, 2), Passive.Classify(HealthSignal.Answered(status)));
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public void Listed_unhealthy_statuses_are_http_failures(int status)
    {
        Assert.Equal((HealthCounter.HttpFailures, 3), Passive.Classify(HealthSignal.Answered(status)));
    }

    [Theory]
    [InlineData(404)]
    [InlineData(502)]
    [InlineData(101)]
    public void Statuses_in_neither_list_are_not_counted(int status)
    {
        Assert.Equal(0, Passive.Classify(HealthSignal.Answered(status)).Limit);
    }

    [Fact]
    public void An_unreadable_status_line_is_an_http_failure()
    {
        Assert.Equal((HealthCounter.HttpFailures, 3), Passive.Classify(HealthSignal.Answered(0)));
    }

    [Fact]
    public void Connection_failures_and_timeouts_have_their_own_counters()
    {
        Assert.Equal((HealthCounter.TcpFailures, 4), Passive.Classify(HealthSignal.TcpFailure));
        Assert.Equal((HealthCounter.Timeouts, 5), Passive.Classify(HealthSignal.Timeout));
        Assert.Equal((HealthCounter.Successes, 2), Passive.Classify(HealthSignal.Connected));
        Assert.Equal(0, Passive.Classify(HealthSignal.None).Limit);
    }

    [Fact]
    public void Kongs_defaults_count_nothing()
    {
        Assert.False(HealthRules.Of(new PassiveHealthcheck()).CountsAnything);
        Assert.False(HealthRules.Of(new ActiveHealthcheck()).CountsAnything);
        Assert.True(Passive.CountsAnything);
    }

    [Fact]
    public void Active_rules_use_the_active_lists()
    {
        var active = HealthRules.Of(new ActiveHealthcheck
        {
            Healthy = new ActiveHealthy { Successes = 1 },
            Unhealthy = new ActiveUnhealthy { HttpFailures = 1 },
        });

        Assert.Equal((HealthCounter.Successes, 1), active.Classify(HealthSignal.Answered(302)));
        Assert.Equal((HealthCounter.HttpFailures, 1), active.Classify(HealthSignal.Answered(404)));
        Assert.Equal(0, active.Classify(HealthSignal.Answered(201)).Limit);
    }
}
