using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Proxy.Tls;

/// <summary>Certificates written as PEM, as the certificates entity holds them, made ready for a TLS handshake.</summary>
public static class PemCertificates
{
    /// <summary>
    /// The first certificate of <paramref name="chainPem"/> with its key, and the certificates after it as the chain
    /// sent along, so that the peer can reach its trusted root through them.
    /// </summary>
    public static SslStreamCertificateContext ContextWithKey(string chainPem, string keyPem)
    {
        var leaf = X509Certificate2.CreateFromPem(chainPem, keyPem);
        var all = new X509Certificate2Collection();
        all.ImportFromPem(chainPem);
        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < all.Count; i++) intermediates.Add(all[i]);
        if (all.Count > 0) all[0].Dispose(); // the leaf again, without its key
        return SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
    }

    /// <summary>A SHA-256 over a certificate and its key, standing for the pair in comparisons (the key itself is never shown).</summary>
    public static string PairDigest(string chainPem, string keyPem) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(chainPem + "\n" + keyPem)));
}
