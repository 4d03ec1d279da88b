using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>A self-signed certificate and its key, as PEM, for certificate and SNI entities.</summary>
public sealed record TestCertificate(string Cert, string Key)
{
    public static TestCertificate Create(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return new TestCertificate(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>The JSON body of a certificate entity.</summary>
    public string Json => "{\"cert\":" + JsonSerializer.Serialize(Cert) + ",\"key\":" + JsonSerializer.Serialize(Key) + "}";
}
