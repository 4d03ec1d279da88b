using Gateway.Operator.Entities;

namespace Gateway.Operator.Sync;

/// <summary>What one source object's sync came to: served, or not with a reason and a message.</summary>
public sealed record SyncVerdict(bool Programmed, string Reason, string Message)
{
    public const string ProgrammedReason = "Programmed";

    /// <summary>The translation and the proxy accepted it, but no proxy of its gateway was reached yet.</summary>
    public const string PendingReason = "Pending";

    /// <summary>No ApiGateway serves the class this object names.</summary>
    public const string NoGatewayReason = "NoGateway";

    /// <summary>The proxy refused the entities made from this object.</summary>
    public const string RejectedReason = "RejectedByProxy";

    public static readonly SyncVerdict Served = new(true, ProgrammedReason, "served by the gateway's proxies");
}

/// <summary>
/// The <c>Programmed</c> condition of a plugin or consumer resource, in the kstatus shape: observedGeneration, and a
/// lastTransitionTime that moves only when the status does, so an unchanged verdict writes nothing.
/// </summary>
public static class ProgrammedCondition
{
    public const string Type = "Programmed";

    public static ProgrammedStatus Build(long? generation, SyncVerdict verdict, ProgrammedStatus? previous, DateTimeOffset now)
    {
        var status = verdict.Programmed ? "True" : "False";
        var before = previous?.Conditions.FirstOrDefault(c => c.Type == Type);
        var since = before is not null && before.Status == status && before.LastTransitionTime is { } time ? time : now;
        return new ProgrammedStatus
        {
            ObservedGeneration = generation,
            Conditions =
            [
                new Condition
                {
                    Type = Type, Status = status, Reason = verdict.Reason, Message = verdict.Message,
                    ObservedGeneration = generation, LastTransitionTime = since,
                },
            ],
        };
    }

}
