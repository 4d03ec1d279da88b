using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Proxy.Entities;

namespace Gateway.Proxy.Tls;

/// <summary>
/// The certificates served on the TLS listener, indexed by SNI: exact names first, then "*.suffix"
/// wildcards. Built once per snapshot; unchanged certificates are reused from the previous snapshot.
/// </summary>
public sealed class ServerCertificates
{
    public static readonly ServerCertificates None = new(new Dictionary<string, X509Certificate2>(StringComparer.OrdinalIgnoreCase),
        new Dictionary<(Guid, long), X509Certificate2>());

    private readonly Dictionary<string, X509Certificate2> _byName;
    private readonly Dictionary<(Guid Id, long UpdatedAt), X509Certificate2> _parsed;

    private ServerCertificates(Dictionary<string, X509Certificate2> byName, Dictionary<(Guid, long), X509Certificate2> parsed)
    {
        _byName = byName;
        _parsed = parsed;
    }

    public int Count => _byName.Count;

    public static ServerCertificates Build(ConfigData config, ServerCertificates? previous)
    {
        var certificates = new Dictionary<Guid, Certificate>();
        foreach (var certificate in config.Certificates) certificates[certificate.Id] = certificate;

        var parsed = new Dictionary<(Guid, long), X509Certificate2>();
        var byName = new Dictionary<string, X509Certificate2>(StringComparer.OrdinalIgnoreCase);
        foreach (var sni in config.Snis)
        {
            if (sni.Name is null || sni.Certificate is null || !certificates.TryGetValue(sni.Certificate.Id, out var certificate)) continue;
            var key = (certificate.Id, certificate.UpdatedAt);
            if (!parsed.TryGetValue(key, out var x509))
            {
                x509 = previous?._parsed.GetValueOrDefault(key) ?? Parse(certificate);
                if (x509 is null) continue;
                parsed[key] = x509;
            }
            byName[sni.Name] = x509;
        }
        return new ServerCertificates(byName, parsed);
    }

    /// <summary>The certificate for a client's SNI, or null to fall back to the default certificate.</summary>
    public X509Certificate2? Select(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName) || _byName.Count == 0) return null;
        if (_byName.TryGetValue(serverName, out var exact)) return exact;
        var dot = serverName.IndexOf('.');
        return dot > 0 && _byName.TryGetValue(string.Concat("*", serverName.AsSpan(dot)), out var wildcard) ? wildcard : null;
    }

    private static X509Certificate2? Parse(Certificate certificate)
    {
        try
        {
            return X509Certificate2.CreateFromPem(certificate.Cert, certificate.Key);
        }
        catch (CryptographicException)
        {
            // Validation already rejected unusable pairs; a certificate that still fails is skipped, not fatal.
            return null;
        }
    }
}
