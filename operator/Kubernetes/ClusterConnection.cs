using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Operator.Kubernetes;

/// <summary>Where the API server is and how to authenticate to it, from a kubeconfig or the pod's service account.</summary>
public sealed class ClusterConnection
{
    public required Uri Server { get; init; }
    public string Namespace { get; init; } = "default";
    public string? Token { get; init; }
    /// <summary>A token file read again as it changes (projected service-account tokens rotate).</summary>
    public string? TokenFile { get; init; }
    public X509Certificate2? ClientCertificate { get; init; }
    public X509Certificate2Collection? CertificateAuthorities { get; init; }
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>In a pod: the service account. Elsewhere: KUBECONFIG, else ~/.kube/config.</summary>
    public static ClusterConnection Detect(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment("KUBERNETES_SERVICE_HOST") is { Length: > 0 } && File.Exists(InClusterConfig.TokenPath))
            return InClusterConfig.Load(environment);
        var path = environment("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        if (!File.Exists(path))
            throw new OperatorStartupException($"no cluster configuration: not in a pod and no kubeconfig at {path} (set KUBECONFIG)");
        return KubeconfigFile.Load(path);
    }

    /// <summary>The HTTP handler: client certificate, trusted CAs and the bearer token are applied here.</summary>
    public HttpMessageHandler CreateHandler()
    {
        var sockets = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            SslOptions = new SslClientAuthenticationOptions(),
        };
        if (ClientCertificate is not null)
            sockets.SslOptions.ClientCertificates = new X509CertificateCollection { ClientCertificate };
        if (InsecureSkipTlsVerify)
            sockets.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        else if (CertificateAuthorities is { Count: > 0 } authorities)
            sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedBy(authorities, certificate, errors);
        return new BearerTokenHandler(this) { InnerHandler = sockets };
    }

    // The cluster's own CA, not the machine's store, vouches for the API server.
    static bool TrustedBy(X509Certificate2Collection authorities, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate)) && !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch);
    }

    sealed class BearerTokenHandler(ClusterConnection connection) : DelegatingHandler
    {
        string? cachedToken;
        DateTime readAt;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (CurrentToken() is { Length: > 0 } token)
                request.Headers.Authorization = new("Bearer", token);
            return base.SendAsync(request, cancellationToken);
        }

        string? CurrentToken()
        {
            if (connection.TokenFile is null)
                return connection.Token;
            if (cachedToken is null || DateTime.UtcNow - readAt > TimeSpan.FromMinutes(1))
            {
                cachedToken = File.ReadAllText(connection.TokenFile).Trim();
                readAt = DateTime.UtcNow;
            }
            return cachedToken;
        }
    }
}
