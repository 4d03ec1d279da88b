using Gateway.Operator.Translation;

namespace Gateway.Operator.Sync;

/// <summary>
/// How a gateway's last configuration sync went, for its status: how many source objects it serves as declared,
/// how many it does not (with the first few named), and when its proxies last took a change.
/// </summary>
public sealed record SyncSummary(int Programmed, int Failed, string? NotApplied, DateTimeOffset? LastSyncTime, string Message)
{
    /// <summary>The results this summary counts; not part of what the status shows.</summary>
    public IReadOnlyList<SourceResult> Results { get; init; } = [];

    public bool Synced => NotApplied is null;

    public static SyncSummary Of(IReadOnlyList<SourceResult> results, string? notApplied, DateTimeOffset? lastSyncTime)
    {
        var failed = results.Where(r => !r.Programmed).ToList();
        var programmed = results.Count - failed.Count;
        var message = notApplied is not null
            ? $"configuration not applied: {notApplied}"
            : $"{programmed} objects programmed, {failed.Count} failed";
        if (failed.Count > 0)
            message += ": " + string.Join("; ", failed.Take(3).Select(f => $"{f.Source}: {f.Problems[0].Message}")) + (failed.Count > 3 ? $" (and {failed.Count - 3} more)" : "");
        return new SyncSummary(programmed, failed.Count, notApplied, lastSyncTime, message) { Results = results };
    }

    /// <summary>True when the status would show the same.</summary>
    public bool SameAs(SyncSummary other) =>
        Programmed == other.Programmed && Failed == other.Failed && NotApplied == other.NotApplied
        && LastSyncTime == other.LastSyncTime && Message == other.Message;
}
