using Microsoft.Extensions.Logging;

namespace Gateway.Operator.Runtime;

/// <summary>
/// The running operator: while this replica leads, its informers fill their caches and its controllers
/// reconcile; on shutdown running reconciles finish, then the lease is released.
/// </summary>
public sealed class OperatorRuntime(InformerSet informers, IReadOnlyList<Func<CancellationToken, Task>> controllers, LeaderElector? elector, ILogger logger)
{
    volatile bool leading;

    public InformerSet Informers => informers;

    /// <summary>Ready for traffic: a follower stands by; a leader once every cache has synced.</summary>
    public bool IsReady => !leading || informers.All.All(i => i.IsSynced);

    public Task RunAsync(CancellationToken stop) =>
        elector is null ? LeadAsync(stop) : elector.RunAsync(LeadAsync, stop);

    async Task LeadAsync(CancellationToken cancel)
    {
        leading = true;
        try
        {
            var watching = informers.All.Select(i => Task.Run(() => i.RunAsync(cancel), CancellationToken.None)).ToList();
            if (await AllSyncedAsync(cancel))
            {
                logger.LogInformation("caches synced; reconciling");
                await Task.WhenAll(controllers.Select(run => run(cancel)));
            }
            await Task.WhenAll(watching);
        }
        finally
        {
            leading = false;
        }
    }

    /// <summary>Waits for every cache's first list; false when stopped first.</summary>
    async Task<bool> AllSyncedAsync(CancellationToken cancel)
    {
        try
        {
            await Task.WhenAll(informers.All.Select(i => i.Synced)).WaitAsync(cancel);
            return true;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return false;
        }
    }
}
