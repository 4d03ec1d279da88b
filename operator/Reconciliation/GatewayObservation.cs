namespace Gateway.Operator.Reconciliation;

/// <summary>The state of one component as a reconcile found it.</summary>
public sealed record ComponentState(string Condition, bool Ready, string Reason, string Message)
{
    public const string DatabaseReady = "DatabaseReady";
    public const string MigrationsComplete = "MigrationsComplete";
    public const string RedisReady = "RedisReady";
    public const string ProxyAvailable = "ProxyAvailable";
}

/// <summary>Everything a reconcile learned about a gateway: the input of the (pure) status computation.</summary>
public sealed record GatewayObservation
{
    public long Generation { get; init; }

    /// <summary>Non-empty when the spec cannot be built; nothing else was observed then.</summary>
    public IReadOnlyList<string> SpecErrors { get; init; } = [];

    /// <summary>Database, Redis, migrations, proxies, in the order a gateway comes up.</summary>
    public IReadOnlyList<ComponentState> Components { get; init; } = [];

    /// <summary>A failure that waiting will not fix (a failed migration Job, a name taken by another object).</summary>
    public (string Reason, string Message)? Stalled { get; init; }

    public int ReadyReplicas { get; init; }
    public int DesiredReplicas { get; init; }
    public string? Endpoint { get; init; }
    public string? Version { get; init; }

    /// <summary>Why part of what a gateway could serve is not served (the Gateway API's CRDs missing); not readiness.</summary>
    public string? Degraded { get; init; }

    /// <summary>The last configuration sync, once there was one; it does not decide readiness.</summary>
    public Sync.SyncSummary? Configuration { get; init; }
}
