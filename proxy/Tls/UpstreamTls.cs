using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gateway.Proxy.Tls;

/// <summary>
/// What a service's connections to its upstream need of TLS: whether the upstream's certificate is verified, against
/// which trust anchors and to what chain depth, and which client certificate is presented. Two values are equal when
/// they make the same handshakes (certificates compared by digest), so services with equal settings share one
/// connection pool and a changed certificate gets a new one. Certificates are kept as PEM text and parsed only when a
/// pool is created.
/// </summary>
public sealed class UpstreamTls : IEquatable<UpstreamTls>
{
    /// <summary>Kong's default: whatever certificate the upstream presents is accepted, and none is presented.</summary>
    public static readonly UpstreamTls Unverified = new(verify: false, maxIntermediates: 0, customTrust: false, [], null);

    private readonly string _identity;
    private readonly int _hashCode;

    public UpstreamTls(bool verify, int maxIntermediates, bool customTrust, IReadOnlyList<TrustAnchor> trustAnchors,
        ClientCertificate? clientCertificate)
    {
        Verify = verify;
        // Without verification, the trust settings make no difference to a handshake: leave them out of the identity.
        MaxIntermediates = verify ? maxIntermediates : 0;
        CustomTrust = verify && customTrust;
        TrustAnchors = CustomTrust ? [.. trustAnchors.DistinctBy(a => a.Digest).OrderBy(a => a.Digest, StringComparer.Ordinal)] : [];
        ClientCertificate = clientCertificate;

        var identity = new StringBuilder(verify ? "verify" : "accept-any");
        if (verify) identity.Append(";depth=").Append(MaxIntermediates).Append(CustomTrust ? ";trust=" : ";trust=system");
        foreach (var anchor in TrustAnchors) identity.Append(anchor.Digest).Append(',');
        if (clientCertificate is not null) identity.Append(";client=").Append(clientCertificate.Digest);
        _identity = identity.ToString();
        // Computed once: the upstream client is looked up by these settings on every request.
        _hashCode = _identity.GetHashCode(StringComparison.Ordinal);
    }

    public bool Verify { get; }

    /// <summary>The service's tls_verify_depth: how many intermediate certificates the upstream's chain may have.</summary>
    public int MaxIntermediates { get; }

    /// <summary>Whether only <see cref="TrustAnchors"/> are trusted (the service lists ca_certificates); else the system's store.</summary>
    public bool CustomTrust { get; }

    public IReadOnlyList<TrustAnchor> TrustAnchors { get; }

    public ClientCertificate? ClientCertificate { get; }

    /// <summary>The client side of the handshake: built once per connection pool.</summary>
    public SslClientAuthenticationOptions ClientOptions()
    {
        var options = new SslClientAuthenticationOptions();
        if (ClientCertificate is not null) options.ClientCertificateContext = PemCertificates.ContextWithKey(ClientCertificate.Cert, ClientCertificate.Key);
        if (!Verify)
        {
            options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
            return options;
        }
        // No revocation lookups and no downloads of missing intermediates: a handshake never waits on a third party.
        var policy = new X509ChainPolicy { RevocationMode = X509RevocationMode.NoCheck, DisableCertificateDownloads = true };
        if (CustomTrust)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            foreach (var anchor in TrustAnchors) policy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(anchor.Cert));
        }
        options.CertificateChainPolicy = policy;
        var maxIntermediates = MaxIntermediates;
        options.RemoteCertificateValidationCallback = (sender, _, chain, errors) =>
        {
            // Thrown rather than returned, so that the reason reaches whoever reports the failed request.
            var rejection = UpstreamCertificateCheck.Check(errors, chain, maxIntermediates, (sender as SslStream)?.TargetHostName);
            return rejection is null ? true : throw rejection;
        };
        return options;
    }

    public bool Equals(UpstreamTls? other) =>
        ReferenceEquals(this, other) || (other is not null && _hashCode == other._hashCode && _identity == other._identity);

    public override bool Equals(object? obj) => Equals(obj as UpstreamTls);

    public override int GetHashCode() => _hashCode;

    public override string ToString() => _identity;
}

/// <summary>A CA certificate trusted as a root: its PEM and its SHA-256 digest (a ca_certificate's cert_digest).</summary>
public sealed record TrustAnchor(string Cert, string Digest);

/// <summary>A certificate (chain) and key presented to the upstream, with a digest of both that stands for them in comparisons.</summary>
public sealed record ClientCertificate(string Cert, string Key, string Digest);
