using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Proxy.Tests.Declarative;

internal static class TestCertificates
{
    /// <summary>A fresh self-signed certificate and its private key, both PEM-encoded.</summary>
    public static (string Cert, string Key) SelfSigned(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + host, key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return (cert.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>A fresh self-signed CA certificate (basic constraints CA:true), PEM-encoded.</summary>
    public static string Authority(string name) => CreateAuthority(name).ExportCertificatePem() + "\n";

    /// <summary>
    /// A CA certificate with its key: self-signed, or issued by <paramref name="issuer"/>; valid from two days ago until
    /// <paramref name="notAfter"/> (default: in six months).
    /// </summary>
    public static X509Certificate2 CreateAuthority(string name, X509Certificate2? issuer = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var notBefore = DateTimeOffset.UtcNow.AddDays(-2);
        var until = notAfter ?? DateTimeOffset.UtcNow.AddMonths(6);
        if (issuer is null) return request.CreateSelfSigned(notBefore, until);
        using var issued = request.Create(issuer, notBefore, until, RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }
}
