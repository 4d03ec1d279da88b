using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gateway.Operator.Translation;

/// <summary>
/// Turns an Ingress's TLS entries into certificates (one per Secret, shared by every Ingress naming it) and SNIs. A
/// host belongs to the first Secret that claims it, in the order Ingresses are translated (sorted), so two Ingresses
/// cannot take turns serving it.
/// </summary>
internal sealed class Certificates
{
    public const string TlsSecretType = "kubernetes.io/tls";

    private readonly Dictionary<(string Namespace, string Name), V1Secret> _secrets = [];
    private readonly Dictionary<string, string> _hostOwners = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConfigurationBuilder _config;

    public Certificates(TranslationInput input, ConfigurationBuilder config)
    {
        _config = config;
        foreach (var secret in input.Secrets) _secrets[(Backends.Namespace(secret.Metadata), secret.Metadata.Name)] = secret;
    }

    /// <summary>Serves <c>spec.tls[index]</c> of an Ingress; what cannot be served is added to <paramref name="problems"/>.</summary>
    public void Add(V1Ingress ingress, int index, V1IngressTLS tls, List<Problem> problems)
    {
        var field = $"spec.tls[{index}]";
        var ns = Backends.Namespace(ingress.Metadata);
        if (string.IsNullOrEmpty(tls.SecretName))
        {
            problems.Add(new Problem(field + ".secretName", ProblemReasons.InvalidTls, "required: the Secret holding the certificate"));
            return;
        }
        if (tls.Hosts is not { Count: > 0 })
        {
            problems.Add(new Problem(field + ".hosts", ProblemReasons.InvalidTls, "at least one host is required: certificates are chosen by SNI"));
            return;
        }
        var secretName = $"{ns}/{tls.SecretName}";
        var (certificate, error) = Certificate(ns, tls.SecretName);
        if (certificate is null)
        {
            problems.Add(new Problem(field + ".secretName", ProblemReasons.InvalidTls, $"Secret \"{secretName}\" {error}"));
            return;
        }
        var ingressTags = SourceTags.For(SourceObject.Of(ingress), _config.OwnerTag);
        for (var h = 0; h < tls.Hosts.Count; h++)
        {
            var host = tls.Hosts[h];
            var hostField = $"{field}.hosts[{h}]";
            if (!IsSniName(host))
            {
                problems.Add(new Problem(hostField, ProblemReasons.InvalidHost, $"invalid host \"{host}\": expected a hostname, optionally *.-prefixed"));
                continue;
            }
            if (_hostOwners.TryGetValue(host, out var owner) && owner != secretName)
            {
                problems.Add(new Problem(hostField, ProblemReasons.InvalidTls, $"host \"{host}\" is already served with the certificate of Secret \"{owner}\""));
                continue;
            }
            _hostOwners[host] = secretName;
            _config.Add(certificate);
            _config.Add(new KongSni
            {
                Id = EntityIds.For("snis", host.ToLowerInvariant()),
                Name = host.ToLowerInvariant(),
                Certificate = new KongRef(certificate.Id),
                Tags = ingressTags,
            });
        }
    }

    private (KongCertificate?, string?) Certificate(string ns, string name)
    {
        if (!_secrets.TryGetValue((ns, name), out var secret)) return (null, "not found");
        if (secret.Type != TlsSecretType) return (null, $"is of type \"{secret.Type}\", expected \"{TlsSecretType}\"");
        var cert = Text(secret, "tls.crt");
        var key = Text(secret, "tls.key");
        if (cert is null || key is null) return (null, "must hold tls.crt and tls.key");
        try
        {
            using var pair = X509Certificate2.CreateFromPem(cert, key);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return (null, "holds no PEM certificate with its matching private key in tls.crt and tls.key");
        }
        return (new KongCertificate
        {
            Id = EntityIds.For("certificates", $"Secret/{ns}/{name}"),
            Cert = cert,
            Key = key,
            Tags = SourceTags.For(SourceObject.Of(secret), _config.OwnerTag),
        }, null);
    }

    private static string? Text(V1Secret secret, string key) =>
        secret.Data?.TryGetValue(key, out var bytes) == true && bytes.Length > 0 ? Encoding.UTF8.GetString(bytes) : null;

    private static bool IsSniName(string host) =>
        AnnotationReader.IsHostname(host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host);
}
