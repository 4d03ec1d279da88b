using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gateway.Operator.Translation;

/// <summary>
/// Turns an Ingress's TLS entries into certificates (one per Secret, shared by every Ingress naming it) and SNIs: the
/// entry's hosts, or the DNS names of the certificate when the entry names none. A
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
        if (string.IsNullOrEmpty(tls.SecretName))
        {
            problems.Add(new Problem(field + ".secretName", ProblemReasons.InvalidTls, "required: the Secret holding the certificate"));
            return;
        }
        Serve(Backends.Namespace(ingress.Metadata), tls.SecretName, tls.Hosts is { Count: > 0 } hosts ? [.. hosts] : null, field,
            SourceTags.For(SourceObject.Of(ingress), _config.OwnerTag), problems);
    }

    /// <summary>
    /// Serves the certificate of a Gateway's HTTPS listener from a Secret its reference resolved to (the caller checked
    /// the ReferenceGrant): for the listener's hostname, or the certificate's own names when it has none.
    /// </summary>
    public void Add(Operator.GatewayApi.KubernetesGateway gateway, Operator.GatewayApi.Listener listener, string secretNamespace, string secretName, List<Problem> problems) =>
        Serve(secretNamespace, secretName, listener.Hostname is { Length: > 0 } host ? [host] : null, $"spec.listeners[{listener.Name}].tls",
            SourceTags.For(SourceObject.Of(gateway), _config.OwnerTag), problems);

    // The certificate of one Secret for the given hosts (null: the names the certificate is for).
    private void Serve(string ns, string name, IReadOnlyList<string>? wanted, string field, string[] tags, List<Problem> problems)
    {
        var secretName = $"{ns}/{name}";
        var (certificate, names, error) = Certificate(ns, name);
        if (certificate is null)
        {
            problems.Add(new Problem(field + ".secretName", ProblemReasons.InvalidTls, $"Secret \"{secretName}\" {error}"));
            return;
        }
        // Without hosts the entry serves the names its certificate is for, as the certificate says them.
        var fromCertificate = wanted is null;
        var hosts = wanted ?? names;
        if (hosts.Count == 0)
        {
            problems.Add(new Problem(field + ".hosts", ProblemReasons.InvalidTls,
                $"required: the certificate of Secret \"{secretName}\" names no DNS host to serve it for by SNI"));
            return;
        }
        for (var h = 0; h < hosts.Count; h++)
        {
            var host = hosts[h];
            var hostField = fromCertificate ? field + ".secretName" : $"{field}.hosts[{h}]";
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
                Tags = tags,
            });
        }
    }

    /// <summary>The Secret's certificate and the DNS names it is for, or why it cannot be served.</summary>
    private (KongCertificate?, IReadOnlyList<string>, string?) Certificate(string ns, string name)
    {
        var secret = _secrets.GetValueOrDefault((ns, name));
        var (cert, key, names, error) = Read(secret);
        if (error is not null) return (null, [], error);
        return (new KongCertificate
        {
            Id = EntityIds.For("certificates", $"Secret/{ns}/{name}"),
            Cert = cert,
            Key = key,
            Tags = SourceTags.For(SourceObject.Of(secret!), _config.OwnerTag),
        }, names, null);
    }

    /// <summary>Why the certificate of a Secret (null: one that does not exist) cannot be served, or null when it can.</summary>
    public static string? Problem(V1Secret? secret) => Read(secret).Error;

    // The PEM certificate and key of a TLS Secret and the DNS names the certificate is for, or why there are none.
    private static (string Cert, string Key, IReadOnlyList<string> Names, string? Error) Read(V1Secret? secret)
    {
        if (secret is null) return ("", "", [], "not found");
        if (secret.Type != TlsSecretType) return ("", "", [], $"is of type \"{secret.Type}\", expected \"{TlsSecretType}\"");
        var cert = Text(secret, "tls.crt");
        var key = Text(secret, "tls.key");
        if (cert is null || key is null) return ("", "", [], "must hold tls.crt and tls.key");
        try
        {
            using var pair = X509Certificate2.CreateFromPem(cert, key);
            return (cert, key, DnsNames(pair), null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return ("", "", [], "holds no PEM certificate with its matching private key in tls.crt and tls.key");
        }
    }

    /// <summary>
    /// The DNS names of the subject alternative name extension or, when it names none, the subject's common name if it
    /// is a host name (as TLS clients check them, RFC 6125); addresses and other names cannot be SNIs.
    /// </summary>
    private static IReadOnlyList<string> DnsNames(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension alternative)
                names.AddRange(alternative.EnumerateDnsNames().Where(IsSniName));
        }
        if (names.Count == 0 && certificate.GetNameInfo(X509NameType.SimpleName, false) is { } common && IsSniName(common))
            names.Add(common);
        return names;
    }

    private static string? Text(V1Secret secret, string key) =>
        secret.Data?.TryGetValue(key, out var bytes) == true && bytes.Length > 0 ? Encoding.UTF8.GetString(bytes) : null;

    private static bool IsSniName(string host) =>
        AnnotationReader.IsHostname(host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host);
}
