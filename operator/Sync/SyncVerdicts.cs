using Gateway.Operator.Translation;

namespace Gateway.Operator.Sync;

/// <summary>What one gateway's sync made of its source objects, and why nothing was applied when nothing was.</summary>
public sealed record GatewayResults(string Gateway, IReadOnlyList<SourceResult> Results, string? NotApplied);

/// <summary>
/// One verdict per source object from the results of every gateway that serves it (a plugin resource can belong to
/// several): programmed only when every one of them serves it.
/// </summary>
public static class SyncVerdicts
{
    public static Dictionary<(string Kind, string Namespace, string Name), SyncVerdict> Combine(IReadOnlyList<GatewayResults> gateways)
    {
        var verdicts = new Dictionary<(string, string, string), SyncVerdict>();
        foreach (var gateway in gateways)
        {
            foreach (var result in gateway.Results)
            {
                var key = (result.Source.Kind, result.Source.Namespace, result.Source.Name);
                var verdict = Of(result, gateway.NotApplied);
                if (!verdict.Programmed && gateways.Count > 1)
                    verdict = verdict with { Message = $"ApiGateway {gateway.Gateway}: {verdict.Message}" };
                if (!verdicts.TryGetValue(key, out var known) || known.Programmed && !verdict.Programmed)
                    verdicts[key] = verdict;
                else if (!known.Programmed && !verdict.Programmed)
                    verdicts[key] = known with { Message = $"{known.Message}; {verdict.Message}" };
            }
        }
        return verdicts;
    }

    static SyncVerdict Of(SourceResult result, string? notApplied) =>
        !result.Programmed ? new SyncVerdict(false, result.Reason!, result.Message!)
        : notApplied is not null ? new SyncVerdict(false, SyncVerdict.PendingReason, notApplied)
        : SyncVerdict.Served;
}
