using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.Serialization;

namespace Gateway.Operator.Kubernetes;

/// <summary>Reads a kubeconfig: the current (or a named) context, its cluster and user.</summary>
public static class KubeconfigFile
{
    public static ClusterConnection Load(string path, string? contextName = null)
    {
        Kubeconfig config;
        try
        {
            config = new DeserializerBuilder().IgnoreUnmatchedProperties().Build().Deserialize<Kubeconfig>(File.ReadAllText(path)) ?? new();
        }
        catch (YamlDotNet.Core.YamlException error)
        {
            throw new OperatorStartupException($"kubeconfig {path} is not valid YAML: {error.Message}");
        }
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        contextName ??= config.CurrentContext;
        var context = config.Contexts.FirstOrDefault(c => c.Name == contextName)?.Context
            ?? throw new OperatorStartupException($"kubeconfig {path}: context '{contextName}' not found");
        var cluster = config.Clusters.FirstOrDefault(c => c.Name == context.Cluster)?.Cluster
            ?? throw new OperatorStartupException($"kubeconfig {path}: cluster '{context.Cluster}' not found");
        var user = config.Users.FirstOrDefault(u => u.Name == context.User)?.User ?? new UserEntry();
        if (!Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server))
            throw new OperatorStartupException($"kubeconfig {path}: cluster '{context.Cluster}' has no valid server URL");

        try
        {
            return new ClusterConnection
            {
                Server = server,
                Namespace = string.IsNullOrEmpty(context.Namespace) ? "default" : context.Namespace,
                Token = user.Token,
                TokenFile = Resolve(baseDirectory, user.TokenFile),
                ClientCertificate = ClientCertificate(baseDirectory, user),
                CertificateAuthorities = Authorities(baseDirectory, cluster),
                InsecureSkipTlsVerify = cluster.InsecureSkipTlsVerify,
            };
        }
        catch (Exception error) when (error is FormatException or IOException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new OperatorStartupException($"kubeconfig {path}: the credentials of context '{contextName}' cannot be read: {error.Message}");
        }
    }

    static string? Resolve(string baseDirectory, string? file) =>
        string.IsNullOrEmpty(file) ? null : Path.Combine(baseDirectory, file);

    // Inline *-data fields are base64 PEM; file fields are paths relative to the kubeconfig.
    static string? Pem(string baseDirectory, string? data, string? file) =>
        !string.IsNullOrEmpty(data) ? Encoding.UTF8.GetString(Convert.FromBase64String(data))
        : Resolve(baseDirectory, file) is { } path ? File.ReadAllText(path)
        : null;

    static X509Certificate2? ClientCertificate(string baseDirectory, UserEntry user)
    {
        var certificate = Pem(baseDirectory, user.ClientCertificateData, user.ClientCertificate);
        var key = Pem(baseDirectory, user.ClientKeyData, user.ClientKey);
        if (certificate is null || key is null)
            return null;
        // Re-imported as PKCS#12 so TLS can use the private key on every platform.
        using var pem = X509Certificate2.CreateFromPem(certificate, key);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    static X509Certificate2Collection? Authorities(string baseDirectory, ClusterEntry cluster)
    {
        var pem = Pem(baseDirectory, cluster.CertificateAuthorityData, cluster.CertificateAuthority);
        if (pem is null)
            return null;
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPem(pem);
        return authorities;
    }

    sealed class Kubeconfig
    {
        [YamlMember(Alias = "current-context")] public string? CurrentContext { get; set; }
        [YamlMember(Alias = "clusters")] public List<NamedCluster> Clusters { get; set; } = [];
        [YamlMember(Alias = "users")] public List<NamedUser> Users { get; set; } = [];
        [YamlMember(Alias = "contexts")] public List<NamedContext> Contexts { get; set; } = [];
    }

    sealed class NamedCluster
    {
        [YamlMember(Alias = "name")] public string Name { get; set; } = "";
        [YamlMember(Alias = "cluster")] public ClusterEntry Cluster { get; set; } = new();
    }

    sealed class ClusterEntry
    {
        [YamlMember(Alias = "server")] public string? Server { get; set; }
        [YamlMember(Alias = "certificate-authority")] public string? CertificateAuthority { get; set; }
        [YamlMember(Alias = "certificate-authority-data")] public string? CertificateAuthorityData { get; set; }
        [YamlMember(Alias = "insecure-skip-tls-verify")] public bool InsecureSkipTlsVerify { get; set; }
    }

    sealed class NamedUser
    {
        [YamlMember(Alias = "name")] public string Name { get; set; } = "";
        [YamlMember(Alias = "user")] public UserEntry User { get; set; } = new();
    }

    sealed class UserEntry
    {
        [YamlMember(Alias = "token")] public string? Token { get; set; }
        [YamlMember(Alias = "tokenFile")] public string? TokenFile { get; set; }
        [YamlMember(Alias = "client-certificate")] public string? ClientCertificate { get; set; }
        [YamlMember(Alias = "client-certificate-data")] public string? ClientCertificateData { get; set; }
        [YamlMember(Alias = "client-key")] public string? ClientKey { get; set; }
        [YamlMember(Alias = "client-key-data")] public string? ClientKeyData { get; set; }
    }

    sealed class NamedContext
    {
        [YamlMember(Alias = "name")] public string Name { get; set; } = "";
        [YamlMember(Alias = "context")] public ContextEntry Context { get; set; } = new();
    }

    sealed class ContextEntry
    {
        [YamlMember(Alias = "cluster")] public string? Cluster { get; set; }
        [YamlMember(Alias = "user")] public string? User { get; set; }
        [YamlMember(Alias = "namespace")] public string? Namespace { get; set; }
    }
}
