using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Gateway.KubeApiServer;

/// <summary>HTTPS for the test API server: its certificate, and the CA its clients' certificates must chain to.</summary>
public sealed class TlsOptions
{
    public required X509Certificate2 ServerCertificate { get; init; }
    public X509Certificate2? ClientAuthority { get; init; }

    /// <summary>
    /// A self-signed certificate for 127.0.0.1 and localhost that clients can trust as their certificate
    /// authority (<see cref="KubeApiServer.WriteKubeconfig"/> does). Clients such as kubectl send bearer tokens
    /// only over TLS.
    /// </summary>
    public static TlsOptions SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kube-apiserver", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS#12 so that the private key is usable by the TLS stack on every platform.
        return new TlsOptions { ServerCertificate = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null) };
    }

    internal void Configure(HttpsConnectionAdapterOptions https)
    {
        https.ServerCertificate = ServerCertificate;
        if (ClientAuthority is null)
            return;
        https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.RequireCertificate;
        https.ClientCertificateValidation = (certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ClientAuthority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate);
        };
    }
}
