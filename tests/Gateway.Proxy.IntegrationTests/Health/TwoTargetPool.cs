using Gateway.Proxy.IntegrationTests.Proxying;
using static Gateway.Proxy.IntegrationTests.Health.HealthTesting;

namespace Gateway.Proxy.IntegrationTests.Health;

/// <summary>A gateway with upstream "pool" over two steerable targets, a and b, routed at /pool.</summary>
public abstract class TwoTargetPool : IAsyncLifetime
{
    protected Guid UpstreamId { get; } = Guid.NewGuid();
    protected GatewayTestHost Gateway { get; private set; } = null!;
    protected ControlledUpstream A { get; private set; } = null!;
    protected ControlledUpstream B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        A = await ControlledUpstream.StartAsync("a");
        B = await ControlledUpstream.StartAsync("b");
        Gateway = await GatewayTestHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await A.DisposeAsync();
        await B.DisposeAsync();
    }

    /// <summary>Applies the pool with these healthchecks and service fields.</summary>
    protected void Apply(string healthchecks, string serviceFields = "\"retries\": 0") =>
        Gateway.Apply(Pool(UpstreamId, healthchecks, serviceFields, A, B).Build());

    protected bool Healthy(ControlledUpstream target) => State(Gateway, UpstreamId, target).IsHealthy;

    /// <summary>Sends <paramref name="count"/> requests one after the other; each answer is its status and who answered.</summary>
    protected async Task<List<(int Status, string Body)>> SendAsync(int count)
    {
        var answers = new List<(int, string)>();
        for (var i = 0; i < count; i++) answers.Add(await GetAsync(Gateway));
        return answers;
    }
}
