using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Proxy.Tls;

/// <summary>
/// The certificate served when no configured SNI matches: the one in GATEWAY_PROXY_TLS_CERT/KEY (such as a mounted
/// Kubernetes TLS Secret), else a self-signed one generated at start.
/// </summary>
public static class DefaultCertificate
{
    public static X509Certificate2 For(Settings.GatewaySettings settings) =>
        settings.ProxyTlsCert is { } cert && settings.ProxyTlsKey is { } key ? Load(cert, key) : Create();

    /// <summary>
    /// Reads a PEM certificate (chain) and its key; a file that is not one stops the start with one line naming
    /// <paramref name="variables"/>, the settings the files came from.
    /// </summary>
    public static X509Certificate2 Load(string certificateFile, string keyFile,
        string variables = "GATEWAY_PROXY_TLS_CERT/GATEWAY_PROXY_TLS_KEY")
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new Settings.SettingsException(
                $"{variables} ({certificateFile}, {keyFile}) are not a PEM certificate and its key: {e.Message}");
        }
    }

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
