using k8s.Exceptions;

namespace Gateway.Operator.Kubernetes;

/// <summary>Where the API server is and how to authenticate to it: the pod's service account, else a kubeconfig file.</summary>
public static class ClusterConfig
{
    /// <summary>In a pod: the service account (its token file is read again as it rotates). Elsewhere: KUBECONFIG, else ~/.kube/config.</summary>
    public static KubernetesClientConfiguration Detect(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment == Environment.GetEnvironmentVariable && KubernetesClientConfiguration.IsInCluster())
            return KubernetesClientConfiguration.InClusterConfig();
        var path = environment("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        return FromFile(path);
    }

    /// <summary>A kubeconfig file's current context (or <paramref name="context"/>), with a one-line error when it cannot be used.</summary>
    public static KubernetesClientConfiguration FromFile(string path, string? context = null)
    {
        if (!File.Exists(path))
            throw new OperatorStartupException($"no cluster configuration: not in a pod and no kubeconfig at {path} (set KUBECONFIG)");
        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(path, context);
        }
        catch (Exception error) when (error is KubeConfigException or IOException or FormatException or YamlDotNet.Core.YamlException)
        {
            throw new OperatorStartupException($"kubeconfig {path}: {error.Message}");
        }
    }
}
