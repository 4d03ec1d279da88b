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

        harness.CreateGateway("warmup", new System.Text.Json.Nodes.JsonObject { ["ingress"] = new System.Text.Json.Nodes.JsonObject { ["className"] = "warmup" } });
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
    public Task The_operator_executable_with_a_kubeconfig_file_serves_health_idles_and_stops_on_sigterm() => RunExecutableAsync(inPod: false);

    [Fact]
    public Task The_operator_executable_in_a_pod_with_its_service_account_serves_health_idles_and_stops_on_sigterm() => RunExecutableAsync(inPod: true);

    /// <summary>
    /// The operator exactly as its image ships it (the output of Dockerfile.operator's publish step), authenticated as
    /// its service account: with a kubeconfig file, as run from a laptop, or as in a pod, where the client's in-cluster
    /// configuration reads the token and the cluster's CA at their standard path, which a private mount namespace
    /// provides here.
    /// </summary>
    static async Task RunExecutableAsync(bool inPod)
    {
        var mode = inPod ? "in a pod (service-account token)" : "with a kubeconfig file";
        await using var harness = await OperatorHarness.StartAsync();
        var home = Directory.CreateTempSubdirectory("tollgate-operator-process-").FullName;
        var healthPort = FreePort.Next();
        var published = await Images.DockerfileBuild.PublishAsync("Dockerfile.operator");
        var operatorCommand = new[] { "dotnet", Path.Combine(published, "Gateway.Operator.dll"), "run" };

        ProcessStartInfo startInfo;
        if (inPod)
        {
            var account = Directory.CreateDirectory(Path.Combine(home, "serviceaccount")).FullName;
            File.WriteAllText(Path.Combine(account, "token"), harness.OperatorToken);
            File.WriteAllText(Path.Combine(account, "ca.crt"), harness.Cluster.AuthorityPem);
            File.WriteAllText(Path.Combine(account, "namespace"), OperatorHarness.OperatorNamespace);
            startInfo = new ProcessStartInfo("unshare");
            foreach (var argument in new[] { "--mount", "--propagation", "private", "sh", "-c",
                         "mount -t tmpfs tmpfs /run && mkdir -p /run/secrets/kubernetes.io/serviceaccount && cp \"$0\"/* /run/secrets/kubernetes.io/serviceaccount/ && exec \"$@\"",
                         account })
                startInfo.ArgumentList.Add(argument);
            startInfo.Environment["KUBERNETES_SERVICE_HOST"] = "127.0.0.1";
            startInfo.Environment["KUBERNETES_SERVICE_PORT"] = harness.Server.Url.Port.ToString();
            startInfo.Environment.Remove("KUBECONFIG");
        }
        else
        {
            var kubeconfig = WriteKubeconfig(harness, home);
            startInfo = new ProcessStartInfo(operatorCommand[0]);
            operatorCommand = operatorCommand[1..];
            startInfo.Environment["KUBECONFIG"] = kubeconfig;
            startInfo.Environment.Remove("KUBERNETES_SERVICE_HOST");
        }
        foreach (var argument in operatorCommand)
            startInfo.ArgumentList.Add(argument);
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardError = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.Environment["DOTNET_EnableDiagnostics"] = "0";
        startInfo.Environment["POD_NAME"] = "operator-process";
        startInfo.Environment["POD_NAMESPACE"] = OperatorHarness.OperatorNamespace;
        startInfo.Environment["TOLLGATE_HEALTH_PORT"] = healthPort.ToString();

        // The gateway is there before the operator: the time to its first child is the operator's start-up.
        harness.CreateGateway("edge");
        var clock = Stopwatch.StartNew();
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
            try
            {
                await Wait.UntilAsync(() => harness.Exists("v1", "ServiceAccount", "edge-proxy"), "the executable writes the first child", seconds: 30);
                Figures.Record($"operator start -> first child written, {mode}", clock.Elapsed);
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
            Figures.Record($"idle operator RSS with one converged gateway, {mode} (target in a pod <= 80 MB)", $"{rss / 1024.0:F1} MB");
            Assert.True(rss > 0);

            var writes = harness.WriteRequests();
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal(writes, harness.WriteRequests()); // an idle operator only renews its lease

            var term = await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString()]);
            Assert.Equal(0, term.ExitCode);
            Assert.True(process.WaitForExit(15_000), "the operator stops within 15 s of SIGTERM");
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}\n{log}");
            var lease = harness.Server.Get("coordination.k8s.io/v1", "Lease", OperatorHarness.OperatorNamespace, "tollgate-operator");
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

    /// <summary>A kubeconfig for the operator's service account, as a user running it from a laptop has one.</summary>
    internal static string WriteKubeconfig(OperatorHarness harness, string directory)
    {
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: memory
              cluster:
                server: {harness.Server.Url.ToString().TrimEnd('/')}
                certificate-authority-data: {Kubernetes.TestCertificates.Base64(harness.Cluster.AuthorityPem!)}
            users:
            - name: operator
              user:
                token: {harness.OperatorToken}
            contexts:
            - name: memory
              context:
                cluster: memory
                user: operator
            current-context: memory
            """);
        return kubeconfig;
    }

    public static long ResidentKilobytes(int pid) =>
        File.ReadLines($"/proc/{pid}/status")
            .Where(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]))
            .First();
}
