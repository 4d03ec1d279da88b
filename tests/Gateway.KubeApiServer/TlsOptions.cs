using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Gateway.KubeApiServer;

/// <summary>HTTPS for the test API server: its certificate, and the CA its clients' certificates must chain to.</summary>
public sealed class TlsOptions
{
    public required X509Certificate2 ServerCertificate { get; init; }
    public X509Certificate2? ClientAuthority { get; init; }

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
