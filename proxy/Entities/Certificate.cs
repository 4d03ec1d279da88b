using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Entities;

[Description("A PEM certificate and private key served to clients whose SNI matches one of its snis.")]
public sealed record Certificate : Entity, IEntityRules
{
    [Required, Description("PEM-encoded certificate (chain).")]
    public string? Cert { get; init; }

    [Required, Description("PEM-encoded private key.")]
    public string? Key { get; init; }

    [Description("Alternate PEM certificate (for example ECDSA beside RSA).")]
    public string? CertAlt { get; init; }

    public string? KeyAlt { get; init; }

    public void Check(FieldErrors errors)
    {
        CheckPair(errors, Cert, Key, "cert", "key");
        if (CertAlt is not null || KeyAlt is not null)
        {
            if (CertAlt is null) errors.Add("cert_alt", "required field missing when 'key_alt' is set");
            else if (KeyAlt is null) errors.Add("key_alt", "required field missing when 'cert_alt' is set");
            else CheckPair(errors, CertAlt, KeyAlt, "cert_alt", "key_alt");
        }
    }

    private static void CheckPair(FieldErrors errors, string? cert, string? key, string certField, string keyField)
    {
        if (cert is null || key is null) return;
        try
        {
            using var parsed = X509Certificate2.CreateFromPem(cert);
        }
        catch (CryptographicException)
        {
            errors.Add(certField, "invalid certificate: not a PEM-encoded X.509 certificate");
            return;
        }
        try
        {
            using var pair = X509Certificate2.CreateFromPem(cert, key);
        }
        catch (CryptographicException)
        {
            errors.Add(keyField, "invalid key: not a PEM-encoded private key matching the certificate");
        }
        catch (ArgumentException)
        {
            errors.Add(keyField, "invalid key: not a PEM-encoded private key matching the certificate");
        }
    }
}
