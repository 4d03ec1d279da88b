using System.Security.Cryptography.X509Certificates;

namespace Gateway.Operator.Kubernetes;

/// <summary>The connection a pod gets: KUBERNETES_SERVICE_HOST/PORT and the mounted service-account files.</summary>
public static class InClusterConfig
{
    public const string Directory = "/var/run/secrets/kubernetes.io/serviceaccount";
    public static string TokenPath => Path.Combine(Directory, "token");

    public static ClusterConnection Load(Func<string, string?> environment, string directory = Directory)
    {
        var host = environment("KUBERNETES_SERVICE_HOST") ?? throw new OperatorStartupException("KUBERNETES_SERVICE_HOST is not set");
        var port = environment("KUBERNETES_SERVICE_PORT") ?? "443";
        if (host.Contains(':'))
            host = $"[{host}]";
        var caPath = Path.Combine(directory, "ca.crt");
        var namespacePath = Path.Combine(directory, "namespace");
        var authorities = new X509Certificate2Collection();
        if (File.Exists(caPath))
            authorities.ImportFromPemFile(caPath);
        return new ClusterConnection
        {
            Server = new Uri($"https://{host}:{port}"),
            TokenFile = Path.Combine(directory, "token"),
            CertificateAuthorities = authorities,
            Namespace = environment("POD_NAMESPACE") is { Length: > 0 } podNamespace
                ? podNamespace
                : File.Exists(namespacePath) ? File.ReadAllText(namespacePath).Trim() : "default",
        };
    }
}
