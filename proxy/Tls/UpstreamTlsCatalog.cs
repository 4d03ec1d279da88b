using Gateway.Proxy.Entities;

namespace Gateway.Proxy.Tls;

/// <summary>
/// The CA certificates and certificates of one configuration, by id, from which each service's <see cref="UpstreamTls"/>
/// is made when the configuration is compiled.
/// </summary>
public sealed class UpstreamTlsCatalog
{
    /// <summary>nginx's proxy_ssl_verify_depth default, which Kong keeps when tls_verify_depth is unset.</summary>
    public const int DefaultMaxIntermediates = 1;

    private readonly Dictionary<Guid, TrustAnchor> _anchors = [];
    private readonly Dictionary<Guid, Certificate> _certificates = [];
    private readonly Dictionary<Guid, ClientCertificate> _clientCertificates = [];

    private UpstreamTlsCatalog(ConfigData config)
    {
        foreach (var ca in config.All<CaCertificate>())
        {
            if (ca.Cert is not null && (ca.CertDigest ?? CaCertificate.Digest(ca.Cert)) is { } digest)
                _anchors[ca.Id] = new TrustAnchor(ca.Cert, digest);
        }
        foreach (var certificate in config.Certificates) _certificates[certificate.Id] = certificate;
    }

    public static UpstreamTlsCatalog Build(ConfigData config) => new(config);

    /// <summary>
    /// The TLS settings of <paramref name="service"/>'s upstream connections. A listed CA certificate that is missing
    /// is simply not trusted: a service that lists CA certificates never falls back to the system's store.
    /// </summary>
    public UpstreamTls For(Service service)
    {
        if (!service.UsesTls) return UpstreamTls.Unverified;
        var client = service.ClientCertificate is { } reference ? ClientCertificateOf(reference.Id) : null;
        var verify = service.TlsVerify == true;
        if (!verify && client is null) return UpstreamTls.Unverified;

        var anchors = new List<TrustAnchor>();
        foreach (var id in service.CaCertificates ?? [])
            if (_anchors.TryGetValue(id, out var anchor)) anchors.Add(anchor);
        return new UpstreamTls(verify, service.TlsVerifyDepth ?? DefaultMaxIntermediates, customTrust: service.CaCertificates is { Length: > 0 },
            anchors, client);
    }

    private ClientCertificate? ClientCertificateOf(Guid id)
    {
        if (_clientCertificates.TryGetValue(id, out var known)) return known;
        if (!_certificates.TryGetValue(id, out var certificate) || certificate.Cert is null || certificate.Key is null) return null;
        var client = new ClientCertificate(certificate.Cert, certificate.Key, PemCertificates.PairDigest(certificate.Cert, certificate.Key));
        _clientCertificates[id] = client;
        return client;
    }
}
