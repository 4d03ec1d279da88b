using Gateway.Operator.Entities;

namespace Gateway.Operator.Reconciliation;

/// <summary>
/// The kstatus view of what a reconcile observed: observedGeneration, a Ready condition that is always
/// present, Reconciling or Stalled only while true, and one condition per component. A condition's
/// lastTransitionTime moves only when its status does, so an unchanged gateway gets an identical status.
/// </summary>
public static class StatusBuilder
{
    public const string Ready = "Ready";
    public const string Reconciling = "Reconciling";
    public const string Stalled = "Stalled";
    public const string ConfigurationSynced = "ConfigurationSynced";
    public const string Degraded = "Degraded";

    public static ApiGatewayStatus Build(GatewayObservation observed, ApiGatewayStatus? previous, DateTimeOffset now)
    {
        var conditions = new List<Condition>();
        void Set(string type, bool status, string reason, string message) =>
            conditions.Add(Stamp(new Condition { Type = type, Status = status ? "True" : "False", Reason = reason, Message = message, ObservedGeneration = observed.Generation }, previous, now));

        if (observed.SpecErrors.Count > 0)
        {
            var message = observed.SpecErrors[0] + (observed.SpecErrors.Count > 1 ? $" (and {observed.SpecErrors.Count - 1} more)" : "");
            Set(Ready, false, "InvalidSpec", message);
            Set(Stalled, true, "InvalidSpec", message);
            // Components were not looked at: keep what was last known about them.
            conditions.AddRange(previous?.Conditions.Where(c => c.Type is not (Ready or Stalled or Reconciling)) ?? []);
            return Status(observed, previous, conditions);
        }

        var waiting = observed.Components.FirstOrDefault(c => !c.Ready);
        if (observed.Stalled is { } stalled)
        {
            Set(Ready, false, stalled.Reason, stalled.Message);
            Set(Stalled, true, stalled.Reason, stalled.Message);
        }
        else if (waiting is not null)
        {
            Set(Ready, false, waiting.Reason, waiting.Message);
            Set(Reconciling, true, waiting.Reason, waiting.Message);
        }
        else
        {
            Set(Ready, true, "Available", $"{observed.ReadyReplicas} of {observed.DesiredReplicas} proxies ready");
        }
        foreach (var component in observed.Components)
            Set(component.Condition, component.Ready, component.Reason, component.Message);
        // One bad Ingress is that Ingress's problem, not the gateway's: this condition never touches Ready.
        if (observed.Degraded is { } degraded)
            Set(Degraded, true, "GatewayAPINotInstalled", degraded);
        if (observed.Configuration is { } sync)
            Set(ConfigurationSynced, sync.Synced && sync.Failed == 0, !sync.Synced ? "NotApplied" : sync.Failed > 0 ? "ObjectsFailed" : "Synced", sync.Message);
        return Status(observed, previous, conditions);
    }

    static ApiGatewayStatus Status(GatewayObservation observed, ApiGatewayStatus? previous, List<Condition> conditions) => new()
    {
        ObservedGeneration = observed.Generation,
        Conditions = conditions,
        ReadyReplicas = observed.SpecErrors.Count > 0 ? previous?.ReadyReplicas ?? 0 : observed.ReadyReplicas,
        Replicas = observed.SpecErrors.Count > 0 ? previous?.Replicas ?? 0 : observed.DesiredReplicas,
        Proxies = observed.SpecErrors.Count > 0 ? previous?.Proxies : $"{observed.ReadyReplicas}/{observed.DesiredReplicas}",
        Endpoint = observed.SpecErrors.Count > 0 ? previous?.Endpoint : observed.Endpoint,
        Version = observed.SpecErrors.Count > 0 ? previous?.Version : observed.Version,
        Configuration = observed.Configuration is { } sync
            ? new ConfigurationStatus { Programmed = sync.Programmed, Failed = sync.Failed, LastSyncTime = sync.LastSyncTime }
            : previous?.Configuration,
    };

    static Condition Stamp(Condition condition, ApiGatewayStatus? previous, DateTimeOffset now)
    {
        var before = previous?.Conditions.FirstOrDefault(c => c.Type == condition.Type);
        var since = before is not null && before.Status == condition.Status && before.LastTransitionTime is { } time ? time : now;
        return condition with { LastTransitionTime = since };
    }

    /// <summary>True when writing <paramref name="next"/> would change nothing.</summary>
    public static bool Same(ApiGatewayStatus? current, ApiGatewayStatus next) =>
        current is not null && Kubernetes.ObjectJson.Serialize(current) == Kubernetes.ObjectJson.Serialize(next);
}
