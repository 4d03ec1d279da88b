using Gateway.Operator.Entities;
using Gateway.Operator.Reconciliation;

namespace Gateway.Operator.Tests.Reconciliation;

/// <summary>The kstatus rules, as a pure function of what a reconcile observed.</summary>
public class StatusBuilderTests
{
    static readonly DateTimeOffset Earlier = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    static readonly DateTimeOffset Now = Earlier.AddHours(1);

    static ComponentState Up(string condition) => new(condition, true, "Ready", condition + " is ready");

    static GatewayObservation Observation(params ComponentState[] components) => new()
    {
        Generation = 3,
        Components = components,
        ReadyReplicas = 2,
        DesiredReplicas = 2,
    };

    static Condition Get(ApiGatewayStatus status, string type) => status.Conditions.Single(c => c.Type == type);

    [Fact]
    public void All_components_up_is_ready_without_reconciling_or_stalled()
    {
        var status = StatusBuilder.Build(Observation(Up("DatabaseReady"), Up("ProxyAvailable")), null, Now);

        Assert.Equal(3, status.ObservedGeneration);
        Assert.Equal(("True", "Available", "2 of 2 proxies ready"), (Get(status, "Ready").Status, Get(status, "Ready").Reason, Get(status, "Ready").Message));
        Assert.DoesNotContain(status.Conditions, c => c.Type is "Reconciling" or "Stalled");
        Assert.All(status.Conditions, c => Assert.Equal(3, c.ObservedGeneration));
        Assert.Equal("2/2", status.Proxies);
    }

    [Fact]
    public void The_first_component_not_up_explains_why_not_ready()
    {
        var waiting = new ComponentState("MigrationsComplete", false, "Migrating", "migrating the database");
        var status = StatusBuilder.Build(Observation(Up("DatabaseReady"), waiting, new("ProxyAvailable", false, "WaitingForMigrations", "later")), null, Now);

        Assert.Equal(("False", "Migrating", "migrating the database"), (Get(status, "Ready").Status, Get(status, "Ready").Reason, Get(status, "Ready").Message));
        Assert.Equal(("True", "Migrating"), (Get(status, "Reconciling").Status, Get(status, "Reconciling").Reason));
        Assert.DoesNotContain(status.Conditions, c => c.Type == "Stalled");
    }

    [Fact]
    public void A_transition_time_moves_only_when_the_status_does()
    {
        var before = StatusBuilder.Build(Observation(Up("DatabaseReady"), new("ProxyAvailable", false, "RollingOut", "1 of 2")), null, Earlier);
        var after = StatusBuilder.Build(Observation(Up("DatabaseReady"), Up("ProxyAvailable")), before, Now);

        Assert.Equal(Earlier, Get(after, "DatabaseReady").LastTransitionTime);
        Assert.Equal(Now, Get(after, "ProxyAvailable").LastTransitionTime);
        Assert.Equal(Now, Get(after, "Ready").LastTransitionTime);

        var again = StatusBuilder.Build(Observation(Up("DatabaseReady"), Up("ProxyAvailable")), after, Now.AddMinutes(5));
        Assert.True(StatusBuilder.Same(after, again));
    }

    [Fact]
    public void Invalid_specs_stall_and_keep_what_was_known_about_the_components()
    {
        var known = StatusBuilder.Build(Observation(Up("DatabaseReady")), null, Earlier);
        var status = StatusBuilder.Build(new GatewayObservation { Generation = 4, SpecErrors = ["spec.a: bad", "spec.b: bad"] }, known, Now);

        Assert.Equal(("True", "InvalidSpec", "spec.a: bad (and 1 more)"), (Get(status, "Stalled").Status, Get(status, "Stalled").Reason, Get(status, "Stalled").Message));
        Assert.Equal("False", Get(status, "Ready").Status);
        Assert.Equal(Earlier, Get(status, "DatabaseReady").LastTransitionTime);
        Assert.Equal(4, status.ObservedGeneration);
        Assert.Equal("2/2", status.Proxies);
    }
}
