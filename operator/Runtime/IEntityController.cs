using Gateway.Operator.Kubernetes;

namespace Gateway.Operator.Runtime;

/// <summary>
/// Level-based reconciliation of one kind: called with the current state of an object whenever it or
/// anything it owns changes, and when a requeue falls due. It never learns which event caused the call.
/// </summary>
public interface IEntityController<TEntity> where TEntity : IKubernetesObject<V1ObjectMeta>
{
    Task<ReconciliationResult<TEntity>> ReconcileAsync(TEntity entity, CancellationToken cancellationToken);

    /// <summary>The object is gone from the API (after its finalizers ran).</summary>
    Task<ReconciliationResult<TEntity>> DeletedAsync(TEntity entity, CancellationToken cancellationToken);
}

/// <summary>Work that must finish before an object may disappear. Runs once deletion is requested.</summary>
public interface IEntityFinalizer<TEntity> where TEntity : IKubernetesObject<V1ObjectMeta>
{
    Task<ReconciliationResult<TEntity>> FinalizeAsync(TEntity entity, CancellationToken cancellationToken);
}

/// <summary>What a reconcile (or finalize) achieved, and when to look again.</summary>
public sealed record ReconciliationResult<TEntity> where TEntity : IKubernetesObject<V1ObjectMeta>
{
    ReconciliationResult(TEntity entity, bool isSuccess, string? errorMessage, Exception? error, TimeSpan? requeueAfter)
    {
        Entity = entity;
        IsSuccess = isSuccess;
        ErrorMessage = errorMessage;
        Error = error;
        RequeueAfter = requeueAfter;
    }

    public TEntity Entity { get; }
    public bool IsSuccess { get; }
    public bool IsFailure => !IsSuccess;
    public string? ErrorMessage { get; }
    public Exception? Error { get; }

    /// <summary>Reconcile again after this long even if nothing changes; null waits for the next change.</summary>
    public TimeSpan? RequeueAfter { get; }

    public static ReconciliationResult<TEntity> Success(TEntity entity, TimeSpan? requeueAfter = null) =>
        new(entity, true, null, null, requeueAfter);

    /// <summary>Retried with exponential backoff, or after <paramref name="requeueAfter"/> when given.</summary>
    public static ReconciliationResult<TEntity> Failure(TEntity entity, string errorMessage, Exception? error = null, TimeSpan? requeueAfter = null) =>
        new(entity, false, errorMessage, error, requeueAfter);
}
