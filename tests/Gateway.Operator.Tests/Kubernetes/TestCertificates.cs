using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Operator.Tests.Kubernetes;

/// <summary>A throwaway CA with a server certificate for 127.0.0.1 and a client certificate, all in memory; self-signed certificates.</summary>
sealed class TestCertificates
{
    public X509Certificate2 Authority { get; }
    public X509Certificate2 Server { get; }
    public X509Certificate2 Client { get; }

    public TestCertificates()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=tollgate-test-ca", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Authority = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        Server = Issue("CN=127.0.0.1", san.Build(), "1.3.6.1.5.5.7.3.1");
        Client = Issue("CN=tollgate-operator, O=tollgate", null, "1.3.6.1.5.5.7.3.2");
    }

    X509Certificate2 Issue(string subject, X509Extension? san, string usage)
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (san is not null)
            request.CertificateExtensions.Add(san);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        var serial = RandomNumberGenerator.GetBytes(8);
        using var issued = request.Create(Authority, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>
    /// PEM of a self-signed certificate for the common name <paramref name="host"/> and the subject alternative names
    /// (DNS names or IP addresses), and of its key.
    /// </summary>
    public static (string Cert, string Key) SelfSigned(string host, params string[] alternativeNames)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + host, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (alternativeNames.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var alternative in alternativeNames)
            {
                if (IPAddress.TryParse(alternative, out var address)) san.AddIpAddress(address);
                else san.AddDnsName(alternative);
            }
            request.CertificateExtensions.Add(san.Build());
        }
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    public static string KeyPem(X509Certificate2 certificate) => certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem();

    public static string Base64(string pem) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pem));
}
