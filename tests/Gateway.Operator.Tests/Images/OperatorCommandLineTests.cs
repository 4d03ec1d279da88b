using Gateway.TestSupport;

namespace Gateway.Operator.Tests.Images;

/// <summary>The published operator's command line: bad input ends with one line and a non-zero exit.</summary>
public class OperatorCommandLineTests
{
    static async Task<ProcessResult> RunAsync(Dictionary<string, string?> env, params string[] args)
    {
        var published = await DockerfileBuild.PublishAsync("Dockerfile.operator");
        env["DOTNET_EnableDiagnostics"] = "0";
        env["KUBERNETES_SERVICE_HOST"] = null;
        return await ProcessRunner.RunAsync("dotnet", [Path.Combine(published, "Gateway.Operator.dll"), .. args], env);
    }

    static void AssertOneLineFailure(ProcessResult result, string message)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"tollgate-operator: {message}", result.Stderr.Trim());
    }

    [Fact]
    public async Task Without_a_cluster_run_fails_with_one_line()
    {
        var result = await RunAsync(new() { ["KUBECONFIG"] = "/nonexistent/kubeconfig" }, "run");
        AssertOneLineFailure(result, "no cluster configuration: not in a pod and no kubeconfig at /nonexistent/kubeconfig (set KUBECONFIG)");
    }

    [Fact]
    public async Task A_kubeconfig_with_unreadable_credentials_fails_with_one_line()
    {
        var kubeconfig = Path.GetTempFileName();
        await File.WriteAllTextAsync(kubeconfig, """
            apiVersion: v1
            kind: Config
            current-context: c
            clusters:
            - name: k
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority-data: not-base64!
            users:
            - name: u
              user: {}
            contexts:
            - name: c
              context:
                cluster: k
                user: u
            """);
        var result = await RunAsync(new() { ["KUBECONFIG"] = kubeconfig }, "run");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"tollgate-operator: kubeconfig {kubeconfig}: ", result.Stderr.Trim());
        Assert.Contains("Base-64", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task An_unknown_command_fails_with_one_line()
    {
        var result = await RunAsync([], "serve");
        AssertOneLineFailure(result, "unknown command 'serve'; run 'Gateway.Operator help' for the list");
    }
}
