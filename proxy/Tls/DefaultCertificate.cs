using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Proxy.Tls;

/// <summary>A self-signed certificate generated at start, served when no configured SNI matches.</summary>
public static class DefaultCertificate
{
    public static X509Certificate2 Create(string subject = "localhost")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(subject);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
    }
}
