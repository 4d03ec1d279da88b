using System.Diagnostics;
using Gateway.TestSupport;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>
/// The operator's targets, measured and printed (tests/operator-figures.sh shows them): how fast a new
/// ApiGateway gets all its children, and the resident memory of the idle operator executable.
/// </summary>
public sealed class FiguresTests
{
    static readonly string[] AllChildren =
    [
        "v1/ServiceAccount/edge-proxy", "v1/Secret/edge-admin-token", "v1/Secret/edge-postgres", "v1/Secret/edge-redis",
        "networking.k8s.io/v1/NetworkPolicy/edge-postgres", "networking.k8s.io/v1/NetworkPolicy/edge-redis", "networking.k8s.io/v1/NetworkPolicy/edge-proxy",
        "v1/Service/edge-postgres", "apps/v1/StatefulSet/edge-postgres", "apps/v1/Deployment/edge-redis", "v1/Service/edge-redis",
        "apps/v1/Deployment/edge-proxy", "v1/Service/edge-proxy", "v1/Service/edge-admin", "policy/v1/PodDisruptionBudget/edge-proxy",
    ];

    static bool AllWritten(OperatorHarness harness) =>
        AllChildren.All(path =>
        {
            var parts = path.Split('/');
            var (apiVersion, kind, name) = parts.Length == 4 ? ($"{parts[0]}/{parts[1]}", parts[2], parts[3]) : (parts[0], parts[1], parts[2]);
            return harness.Exists(apiVersion, kind, name);
        }) && harness.Server.List("batch/v1", "Job", "default").Any(j => ((string)j["metadata"]!["name"]!).StartsWith("edge-migrate-", StringComparison.Ordinal));

    [Fact]
    public async Task Time_from_created_to_all_children_written_with_an_instant_kubelet()
    {
        await using var harness = await OperatorHarness.StartAsync();
        var op = harness.StartOperator();
        using var kubeletStop = new CancellationTokenSource();
        _ = harness.Kubelet.RunAsync(kubeletStop.Token);
        await Wait.UntilAsync(() => op.IsLeader && op.Operator.Runtime.IsReady, "the operator is ready");

        harness.CreateGateway("warmup");
        await Wait.UntilAsync(() => harness.ConditionStatus("warmup", "Ready") == "True", "the warm-up gateway is Ready");

        var clock = Stopwatch.StartNew();
        harness.CreateGateway("edge");
        await Wait.UntilAsync(() => AllWritten(harness), "all children of edge are written");
        var written = clock.Elapsed;
        await Wait.UntilAsync(() => harness.ConditionStatus("edge", "Ready") == "True", "edge is Ready");
        var ready = clock.Elapsed;
        await kubeletStop.CancelAsync();

        Figures.Record("ApiGateway created -> all 16 children written (instant kubelet, target < 1 s)", written);
        Figures.Record("ApiGateway created -> Ready=True (instant kubelet)", ready);
        Assert.True(written < TimeSpan.FromSeconds(30), $"children took {written}");
    }

    [Fact]
    public async Task The_operator_executable_serves_health_and_reports_its_idle_memory_then_stops_on_sigterm()
    {
        await using var harness = await OperatorHarness.StartAsync();
        var home = Directory.CreateTempSubdirectory("tollgate-operator-process-").FullName;
        var healthPort = FreePort.Next();
        var startInfo = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        // The operator exactly as its image ships it: the output of Dockerfile.operator's publish step.
        var published = await Images.DockerfileBuild.PublishAsync("Dockerfile.operator");
        startInfo.ArgumentList.Add(Path.Combine(published, "Gateway.Operator.dll"));
        startInfo.Environment["DOTNET_EnableDiagnostics"] = "0";
        startInfo.ArgumentList.Add("run");
        // A kubeconfig as a user has one: a user with a bearer token (the client refuses a user without credentials).
        harness.Server.RequiredToken = "operator-process-token";
        startInfo.Environment["KUBECONFIG"] = harness.Server.WriteKubeconfig(Path.Combine(home, "kubeconfig"));
        startInfo.Environment["POD_NAME"] = "operator-process";
        startInfo.Environment["POD_NAMESPACE"] = "default";
        startInfo.Environment["TOLLGATE_HEALTH_PORT"] = healthPort.ToString();
        startInfo.Environment.Remove("KUBERNETES_SERVICE_HOST");
        using var process = Process.Start(startInfo)!;
        var log = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        using var kubeletStop = new CancellationTokenSource();
        try
        {
            _ = harness.Kubelet.RunAsync(kubeletStop.Token);
            harness.CreateGateway("edge");
            try
            {
                await Wait.UntilAsync(() => harness.ConditionStatus("edge", "Ready") == "True", "the executable makes the gateway Ready", seconds: 30);
            }
            catch (Exception timeout)
            {
                lock (log)
                    throw new InvalidOperationException($"{timeout.Message}\n--- operator log ---\n{log}");
            }

            using var http = new HttpClient();
            Assert.Equal("ok", await http.GetStringAsync($"http://127.0.0.1:{healthPort}/healthz"));
            Assert.Equal("ok", await http.GetStringAsync($"http://127.0.0.1:{healthPort}/readyz"));

            await Task.Delay(TimeSpan.FromSeconds(5));
            var rss = ResidentKilobytes(process.Id);
            Figures.Record("idle operator RSS with one converged gateway (target < 80 MB)", $"{rss / 1024.0:F1} MB");
            Assert.True(rss > 0);

            var writes = harness.WriteRequests();
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal(writes, harness.WriteRequests()); // an idle operator only renews its lease

            var term = await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString()]);
            Assert.Equal(0, term.ExitCode);
            Assert.True(process.WaitForExit(15_000), "the operator stops within 15 s of SIGTERM");
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}\n{log}");
            var lease = harness.Server.Get("coordination.k8s.io/v1", "Lease", "default", "tollgate-operator");
            Assert.Equal("", (string?)lease["spec"]!["holderIdentity"] ?? "");
        }
        finally
        {
            await kubeletStop.CancelAsync();
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            Directory.Delete(home, recursive: true);
        }
    }

    static long ResidentKilobytes(int pid) =>
        File.ReadLines($"/proc/{pid}/status")
            .Where(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]))
            .First();
}
