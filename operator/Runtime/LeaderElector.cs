using Gateway.Operator.Kubernetes;
using Microsoft.Extensions.Logging;

namespace Gateway.Operator.Runtime;

/// <summary>Timings of leader election, as client-go's defaults: a 15 s lease, renewed within 10 s, tried every 2 s.</summary>
public sealed record LeaderElectionTimings(TimeSpan LeaseDuration, TimeSpan RenewDeadline, TimeSpan RetryPeriod)
{
    public static LeaderElectionTimings Default { get; } = new(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2));
}

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease, so only one operator replica reconciles. A lease
/// counts as expired when its record has not changed for a lease duration by this replica's own clock,
/// so clocks need not agree. Writes carry the resourceVersion they read: two candidates cannot both win.
/// </summary>
[EntityRbac(typeof(V1Lease), Verbs = RbacVerb.Get | RbacVerb.Create | RbacVerb.Update)]
public sealed class LeaderElector(IKubernetesClient client, string ns, string leaseName, string identity, LeaderElectionTimings timings, ILogger logger)
{
    string? observedRecord;
    DateTime observedAt;

    public string Identity => identity;
    public bool IsLeader { get; private set; }

    /// <summary>
    /// Campaigns until <paramref name="cancel"/>. While this replica leads, <paramref name="lead"/> runs with a
    /// token cancelled when leadership is lost; on shutdown the lease is released for the next replica.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            if (!await TryAcquireOrRenewAsync(cancel))
            {
                await Pause.ForAsync(timings.RetryPeriod, cancel);
                continue;
            }
            logger.LogInformation("{Identity} is the leader ({Lease})", identity, leaseName);
            IsLeader = true;
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            var work = Task.Run(() => lead(leading.Token), CancellationToken.None);
            await RenewWhileLeadingAsync(leading, work, cancel);
            await leading.CancelAsync();
            await work.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            IsLeader = false;
            if (cancel.IsCancellationRequested)
                await ReleaseAsync();
            else
                logger.LogWarning("{Identity} lost the leadership", identity);
        }
    }

    async Task RenewWhileLeadingAsync(CancellationTokenSource leading, Task work, CancellationToken cancel)
    {
        var lastRenewal = DateTimeOffset.UtcNow;
        while (!cancel.IsCancellationRequested && !work.IsCompleted)
        {
            await Pause.ForAsync(timings.RetryPeriod, cancel);
            if (cancel.IsCancellationRequested)
                return;
            if (await TryAcquireOrRenewAsync(cancel))
                lastRenewal = DateTimeOffset.UtcNow;
            else if (DateTimeOffset.UtcNow - lastRenewal > timings.RenewDeadline)
                return;
        }
    }

    /// <summary>One round: create the lease, renew our own, or take over an expired one.</summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancel)
    {
        try
        {
            var now = DateTime.UtcNow;
            var lease = await client.GetAsync<V1Lease>(leaseName, ns, cancel);
            if (lease is null)
            {
                await client.CreateAsync(new V1Lease
                {
                    Metadata = new() { Name = leaseName, NamespaceProperty = ns },
                    Spec = Held(new V1LeaseSpec { LeaseTransitions = 0 }, now, acquired: true),
                }, cancel);
                return true;
            }

            var record = $"{lease.Spec.HolderIdentity}|{lease.Spec.RenewTime:O}";
            if (record != observedRecord)
            {
                observedRecord = record;
                observedAt = now;
            }
            var ours = lease.Spec.HolderIdentity == identity;
            var expired = string.IsNullOrEmpty(lease.Spec.HolderIdentity)
                || observedAt + TimeSpan.FromSeconds(lease.Spec.LeaseDurationSeconds ?? 15) < now;
            if (!ours && !expired)
                return false;

            if (!ours)
                lease.Spec.LeaseTransitions = (lease.Spec.LeaseTransitions ?? 0) + 1;
            lease.Spec = Held(lease.Spec, now, acquired: !ours);
            var updated = await client.UpdateAsync(lease, cancel);
            observedRecord = $"{updated.Spec.HolderIdentity}|{updated.Spec.RenewTime:O}";
            observedAt = now;
            return true;
        }
        catch (KubernetesConflictException)
        {
            return false; // another candidate wrote first
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return false; // shutting down: the caller releases the lease
        }
        catch (Exception error) when (error is KubernetesApiException or HttpRequestException or IOException)
        {
            logger.LogWarning("leader election: {Error}", error.Message);
            return false;
        }
    }

    V1LeaseSpec Held(V1LeaseSpec spec, DateTime now, bool acquired)
    {
        spec.HolderIdentity = identity;
        spec.LeaseDurationSeconds = (int)timings.LeaseDuration.TotalSeconds;
        spec.RenewTime = now;
        if (acquired)
            spec.AcquireTime = now;
        return spec;
    }

    // Hands the lease over at once instead of making the next replica wait for it to expire.
    async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var lease = await client.GetAsync<V1Lease>(leaseName, ns, timeout.Token);
            if (lease?.Spec.HolderIdentity != identity)
                return;
            lease.Spec.HolderIdentity = "";
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = DateTime.UtcNow;
            await client.UpdateAsync(lease, timeout.Token);
            logger.LogInformation("{Identity} released the leadership", identity);
        }
        catch (Exception error) when (error is KubernetesApiException or HttpRequestException or IOException or OperationCanceledException)
        {
            logger.LogWarning("could not release the lease: {Error}", error.Message);
        }
    }
}
