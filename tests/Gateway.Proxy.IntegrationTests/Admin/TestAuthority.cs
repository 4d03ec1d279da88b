using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>
/// A certificate authority for tests: a CA certificate with its key, which issues intermediate CAs, server certificates
/// (for 127.0.0.1, localhost and any other names) and client certificates.
/// </summary>
public sealed class TestAuthority
{
    private TestAuthority(X509Certificate2 certificate, TestAuthority? issuer)
    {
        Certificate = certificate;
        Issuer = issuer;
    }

    /// <summary>The CA's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA that signed this one; null for a root.</summary>
    public TestAuthority? Issuer { get; }

    public string CertPem => Certificate.ExportCertificatePem();

    /// <summary>The JSON body of a ca_certificate entity holding this CA.</summary>
    public string Json => "{\"cert\":" + JsonSerializer.Serialize(CertPem) + "}";

    /// <summary>A self-signed root CA, valid from yesterday until <paramref name="notAfter"/> (default: in a year).</summary>
    public static TestAuthority CreateRoot(string name, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = CaRequest(name, key);
        var now = DateTimeOffset.UtcNow;
        return new TestAuthority(request.CreateSelfSigned(now.AddDays(-2), notAfter ?? now.AddYears(1)), null);
    }

    /// <summary>An intermediate CA signed by this one.</summary>
    public TestAuthority CreateIntermediate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new TestAuthority(Sign(CaRequest(name, key), key), this);
    }

    /// <summary>A server certificate for 127.0.0.1, localhost and <paramref name="names"/>, with the chain up to (not including) the root.</summary>
    public IssuedCertificate IssueServer(string commonName, params string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var alternative = new SubjectAlternativeNameBuilder();
        alternative.AddIpAddress(IPAddress.Loopback);
        alternative.AddDnsName("localhost");
        foreach (var name in names) alternative.AddDnsName(name);
        request.CertificateExtensions.Add(alternative.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return new IssuedCertificate(Sign(request, key), Chain());
    }

    /// <summary>A client certificate (TLS client authentication) for <paramref name="commonName"/>.</summary>
    public IssuedCertificate IssueClient(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        return new IssuedCertificate(Sign(request, key), Chain());
    }

    private static CertificateRequest CaRequest(string name, ECDsa key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private X509Certificate2 Sign(CertificateRequest request, ECDsa key)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        var notAfter = Certificate.NotAfter < DateTime.Now.AddMonths(6) ? new DateTimeOffset(Certificate.NotAfter) : DateTimeOffset.UtcNow.AddMonths(6);
        using var issued = request.Create(Certificate, DateTimeOffset.UtcNow.AddDays(-1), notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>The intermediates from this CA up to, not including, the root: what a server sends after its own certificate.</summary>
    private X509Certificate2Collection Chain()
    {
        var chain = new X509Certificate2Collection();
        for (var ca = this; ca.Issuer is not null; ca = ca.Issuer) chain.Add(ca.Certificate);
        return chain;
    }
}

/// <summary>A certificate issued by a <see cref="TestAuthority"/>, with its key and the intermediates above it.</summary>
public sealed record IssuedCertificate(X509Certificate2 Certificate, X509Certificate2Collection Intermediates)
{
    /// <summary>The certificate then its intermediates, as PEM: the cert of a certificates entity.</summary>
    public string ChainPem => Certificate.ExportCertificatePem() + "\n" + string.Join("\n", Intermediates.Select(c => c.ExportCertificatePem()));

    public string KeyPem => Certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();

    /// <summary>The JSON body of a certificates entity holding this certificate and its key.</summary>
    public string Json => "{\"cert\":" + JsonSerializer.Serialize(ChainPem) + ",\"key\":" + JsonSerializer.Serialize(KeyPem) + "}";
}
