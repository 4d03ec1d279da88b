using System.Globalization;
using Gateway.Adversarial.Judging;

namespace Gateway.Adversarial.Runs;

/// <summary>
/// The outcome of one harness run: requests by class, violations by kind (each must be 0), figures for
/// information only, whether the gateway was still alive at the end, and its peak resident memory.
/// </summary>
public sealed record HarnessResult(
    string Name,
    HarnessSettings Settings,
    int Requests,
    Findings Findings,
    IReadOnlyList<string> Classes,
    IReadOnlyList<string> Violations,
    IReadOnlyList<string> Figures,
    double? PeakRssMegabytes,
    bool Alive,
    TimeSpan Elapsed,
    string GatewayOutput)
{
    /// <summary>The figure under which a replayed case (ADVERSARIAL_CASE) is shown in full.</summary>
    public const string Replayed = "replayed";

    /// <summary>How much of a replayed case is shown.</summary>
    public const int ReplayedLength = 64 * 1024;

    /// <summary>The gateway's peak resident memory (VmHWM) must stay under this.</summary>
    public const double RssBoundMegabytes = 400;

    public bool Passed => Alive && PeakRssMegabytes is < RssBoundMegabytes && Violations.All(v => Findings[v] == 0);

    /// <summary>One line: what was sent, what went wrong, and the figures.</summary>
    public string Summary =>
        $"adversarial {Name}: seed={Settings.Seed} requests={Requests} ({Findings.CountsOf(Classes)}) " +
        $"{Findings.CountsOf(Violations)} {Findings.CountsOf(Figures)} " +
        $"peak-rss={(PeakRssMegabytes is { } mb ? mb.ToString("0", CultureInfo.InvariantCulture) + "MB" : "unknown")} " +
        $"alive={(Alive ? "yes" : "NO")} time={Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s";

    /// <summary>The summary, then examples of each violation with their cases, then the end of the gateway's log when it failed.</summary>
    public string Report()
    {
        var report = Summary + Environment.NewLine + Findings.Examples([.. Violations, .. Figures, Replayed]);
        if (PeakRssMegabytes is not < RssBoundMegabytes) report += $"peak RSS over the bound of {RssBoundMegabytes} MB{Environment.NewLine}";
        if (!Passed) report += $"replay one case: ADVERSARIAL_SEED={Settings.Seed} ADVERSARIAL_CASE=<case>{Environment.NewLine}";
        if (!Alive) report += "--- gateway output ---" + Environment.NewLine + GatewayOutput + Environment.NewLine;
        return report;
    }
}
