using Gateway.Operator.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Operator.Tests.Runtime;

public sealed class LeaderElectorTests : IAsyncLifetime
{
    // A long lease with quick retries: a takeover within seconds can only come from a release.
    static readonly LeaderElectionTimings Fast = new(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200));
    static readonly LeaderElectionTimings ShortLease = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1.5), TimeSpan.FromMilliseconds(200));
    TestCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await TestCluster.StartAsync();
    public async Task DisposeAsync() => await cluster.DisposeAsync();

    LeaderElector Candidate(string identity, LeaderElectionTimings? timings = null) =>
        new(cluster.NewClient(), "default", "tollgate-operator", identity, timings ?? Fast, NullLogger.Instance);


    [Fact]
    public async Task Of_two_candidates_exactly_one_leads_and_the_other_takes_over_on_release()
    {
        var first = Candidate("first");
        var second = Candidate("second");
        var leaders = 0;
        var maxLeaders = 0;
        async Task Lead(CancellationToken token)
        {
            var now = Interlocked.Increment(ref leaders);
            lock (this) maxLeaders = Math.Max(maxLeaders, now);
            try { await Task.Delay(Timeout.Infinite, token); }
            catch (OperationCanceledException) { }
            Interlocked.Decrement(ref leaders);
        }

        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();
        var runFirst = first.RunAsync(Lead, stopFirst.Token);
        var runSecond = second.RunAsync(Lead, stopSecond.Token);
        await Wait.UntilAsync(() => first.IsLeader || second.IsLeader, "someone leads", seconds: 20);
        await Task.Delay(1000);
        Assert.Equal(1, maxLeaders);
        Assert.True(first.IsLeader ^ second.IsLeader);

        var (leader, follower, stopLeader) = first.IsLeader ? (first, second, stopFirst) : (second, first, stopSecond);
        var handedOver = DateTime.UtcNow;
        await stopLeader.CancelAsync();
        await Wait.UntilAsync(() => follower.IsLeader, "the follower takes over", seconds: 20);
        Assert.True(DateTime.UtcNow - handedOver < TimeSpan.FromSeconds(8), "a released lease is taken without waiting for it to expire");
        Assert.False(leader.IsLeader);

        var lease = await cluster.Client.GetAsync<V1Lease>("tollgate-operator", "default");
        Assert.Equal(follower.Identity, lease!.Spec.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);

        await stopFirst.CancelAsync();
        await stopSecond.CancelAsync();
        await Task.WhenAll(runFirst, runSecond);
        Assert.Equal(1, maxLeaders);
    }

    [Fact]
    public async Task A_lease_held_by_a_live_leader_is_not_taken_and_an_abandoned_one_is_after_it_expires()
    {
        var crashed = Candidate("crashed", ShortLease);
        Assert.True(await crashed.TryAcquireOrRenewAsync(CancellationToken.None));

        var waiting = Candidate("waiting", ShortLease);
        Assert.False(await waiting.TryAcquireOrRenewAsync(CancellationToken.None));
        var started = DateTime.UtcNow;
        while (!await waiting.TryAcquireOrRenewAsync(CancellationToken.None))
            await Task.Delay(100);

        Assert.InRange((DateTime.UtcNow - started).TotalSeconds, 1.8, 4);
    }

    [Fact]
    public async Task The_lease_records_the_production_timings()
    {
        var elector = Candidate("solo", LeaderElectionTimings.Default);
        Assert.True(await elector.TryAcquireOrRenewAsync(CancellationToken.None));
        var lease = await cluster.Client.GetAsync<V1Lease>("tollgate-operator", "default");
        Assert.Equal(15, lease!.Spec.LeaseDurationSeconds);
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)), (LeaderElectionTimings.Default.RenewDeadline, LeaderElectionTimings.Default.RetryPeriod));
    }
}
