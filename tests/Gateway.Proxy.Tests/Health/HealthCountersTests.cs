using Gateway.Proxy.Health;

namespace Gateway.Proxy.Tests.Health;

public class HealthCountersTests
{
    private static HealthCounters Count(HealthCounters counters, HealthCounter counter, int limit, int times)
    {
        for (var i = 0; i < times; i++) counters = counters.Count(counter, limit);
        return counters;
    }

    [Fact]
    public void A_new_target_is_healthy_with_nothing_counted()
    {
        Assert.True(HealthCounters.Initial.IsHealthy);
        Assert.Equal(TargetCondition.Healthy, HealthCounters.Initial.Condition);
    }

    [Theory]
    [InlineData(HealthCounter.HttpFailures)]
    [InlineData(HealthCounter.TcpFailures)]
    [InlineData(HealthCounter.Timeouts)]
    public void A_target_turns_unhealthy_when_a_failure_counter_reaches_its_limit(HealthCounter counter)
    {
        var almost = Count(HealthCounters.Initial, counter, limit: 3, times: 2);
        Assert.True(almost.IsHealthy);
        Assert.Equal(TargetCondition.MostlyHealthy, almost.Condition);
        Assert.Equal(2, almost.Of(counter));

        var after = almost.Count(counter, 3);
        Assert.False(after.IsHealthy);
        Assert.Equal(TargetCondition.Unhealthy, after.Condition);
    }

    [Fact]
    public void A_limit_of_zero_counts_nothing()
    {
        var counters = Count(HealthCounters.Initial, HealthCounter.Timeouts, limit: 0, times: 10);

        Assert.Equal(HealthCounters.Initial, counters);
    }

    [Fact]
    public void Each_failure_kind_has_its_own_counter()
    {
        var counters = HealthCounters.Initial
            .Count(HealthCounter.TcpFailures, 2)
            .Count(HealthCounter.Timeouts, 2)
            .Count(HealthCounter.HttpFailures, 2);

        Assert.True(counters.IsHealthy);
        Assert.Equal((1, 1, 1), (counters.TcpFailures, counters.Timeouts, counters.HttpFailures));
    }

    [Fact]
    public void A_counted_success_clears_the_failures_so_only_consecutive_failures_count()
    {
        var counters = HealthCounters.Initial
            .Count(HealthCounter.HttpFailures, 3)
            .Count(HealthCounter.HttpFailures, 3)
            .Count(HealthCounter.Successes, 5)
            .Count(HealthCounter.HttpFailures, 3)
            .Count(HealthCounter.HttpFailures, 3);

        Assert.True(counters.IsHealthy);
        Assert.Equal(2, counters.HttpFailures);
    }

    [Fact]
    public void Without_a_success_limit_successes_are_not_counted_and_failures_add_up()
    {
        var counters = HealthCounters.Initial
            .Count(HealthCounter.HttpFailures, 3)
            .Count(HealthCounter.Successes, 0)
            .Count(HealthCounter.HttpFailures, 3)
            .Count(HealthCounter.Successes, 0)
            .Count(HealthCounter.HttpFailures, 3);

        Assert.False(counters.IsHealthy);
    }

    [Fact]
    public void A_fully_healthy_target_does_not_count_successes()
    {
        Assert.Equal(HealthCounters.Initial, HealthCounters.Initial.Count(HealthCounter.Successes, 2));
    }

    [Fact]
    public void An_unhealthy_target_turns_healthy_after_its_successes_and_not_before()
    {
        var unhealthy = HealthCounters.Forced(healthy: false);
        Assert.Equal(unhealthy, unhealthy.Count(HealthCounter.TcpFailures, 1));

        var one = unhealthy.Count(HealthCounter.Successes, 2);
        Assert.False(one.IsHealthy);
        Assert.Equal(TargetCondition.MostlyUnhealthy, one.Condition);

        var two = one.Count(HealthCounter.Successes, 2);
        Assert.True(two.IsHealthy);
        Assert.Equal(TargetCondition.Healthy, two.Condition);
    }

    [Fact]
    public void A_failure_on_the_way_back_clears_the_successes()
    {
        var counters = HealthCounters.Forced(healthy: false)
            .Count(HealthCounter.Successes, 2)
            .Count(HealthCounter.HttpFailures, 5)
            .Count(HealthCounter.Successes, 2);

        Assert.False(counters.IsHealthy);
        Assert.Equal(1, counters.Successes);
    }

    [Fact]
    public void A_forced_verdict_clears_every_counter()
    {
        Assert.Equal(new HealthCounters(TargetCondition.Unhealthy, 0, 0, 0, 0), HealthCounters.Forced(healthy: false));
        Assert.Equal(HealthCounters.Initial, HealthCounters.Forced(healthy: true));
    }

    [Fact]
    public void Counters_stop_at_255()
    {
        var counters = Count(HealthCounters.Forced(healthy: false), HealthCounter.Successes, limit: 255, times: 300);

        Assert.True(counters.IsHealthy);
        Assert.Equal(255, counters.Successes);
    }

    [Fact]
    public void Packing_keeps_every_field()
    {
        var counters = new HealthCounters(TargetCondition.MostlyUnhealthy, 7, 255, 3, 1);

        Assert.Equal(counters, HealthCounters.Unpack(counters.Pack()));
    }
}
