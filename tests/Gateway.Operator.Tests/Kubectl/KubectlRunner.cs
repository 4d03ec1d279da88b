using Gateway.TestSupport;

namespace Gateway.Operator.Tests.Kubectl;

/// <summary>Runs the real kubectl against a test API server through a generated kubeconfig.</summary>
sealed class KubectlRunner : IDisposable
{
    readonly string home = Directory.CreateTempSubdirectory("tollgate-kubectl-").FullName;
    readonly string kubeconfig;
    readonly string executable;

    /// <summary>kubectl with a kubeconfig for <paramref name="server"/>, authenticating with <paramref name="token"/> when given.</summary>
    public KubectlRunner(KubeApiServer.KubeApiServer server, string? token = null)
    {
        executable = Find();
        kubeconfig = server.WriteKubeconfig(Path.Combine(home, "kubeconfig"), token: token);
    }

    /// <summary>kubectl is part of what these tests check; its absence is a failure, never a skip.</summary>
    static string Find()
    {
        foreach (var candidate in new[] { "/usr/bin/kubectl", "/usr/local/bin/kubectl" })
        {
            if (File.Exists(candidate))
                return candidate;
        }
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "kubectl")).FirstOrDefault(File.Exists);
        return onPath ?? throw new InvalidOperationException(
            "kubectl was not found (looked in /usr/bin, /usr/local/bin and PATH); these tests drive the real kubectl — install kubectl 1.32");
    }

    public async Task<ProcessResult> RunAsync(params string[] args)
    {
        var env = new Dictionary<string, string?>
        {
            ["KUBECONFIG"] = kubeconfig,
            ["HOME"] = home,
        };
        return await ProcessRunner.RunAsync(executable, ["--cache-dir", Path.Combine(home, "cache"), .. args], env, TimeSpan.FromMinutes(1));
    }

    public async Task<string> SucceedAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed: {result}");
        return result.Stdout;
    }

    public void Dispose() => Directory.Delete(home, recursive: true);
}
