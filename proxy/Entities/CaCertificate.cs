using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Entities;

[Description("A certificate authority trusted to sign upstream certificates, for the services that list it in ca_certificates.")]
public sealed record CaCertificate : Entity
{
    private const string CertificateBegin = "-----BEGIN CERTIFICATE-----";

    [Required, CheckedBy(typeof(CaCertificate), nameof(CheckCert)), Description("PEM-encoded certificate of the CA (one certificate).")]
    public string? Cert { get; init; }

    [Unique, Description("SHA-256 of the certificate (lower-case hex), computed from cert.")]
    public string? CertDigest { get; init; }

    /// <summary>The field rule on <c>cert</c>: Kong's checks as of now.</summary>
    public static string? CheckCert(string pem) => Problem(pem, DateTimeOffset.UtcNow);

    /// <summary>What makes <paramref name="pem"/> unusable as a CA certificate at <paramref name="now"/>, in Kong's words; null when nothing.</summary>
    public static string? Problem(string pem, DateTimeOffset now)
    {
        var first = pem.IndexOf(CertificateBegin, StringComparison.Ordinal);
        if (first >= 0 && pem.IndexOf(CertificateBegin, first + CertificateBegin.Length, StringComparison.Ordinal) >= 0)
            return "please submit only one certificate at a time";
        using var certificate = Parse(pem);
        if (certificate is null) return "invalid certificate: not a PEM-encoded X.509 certificate";
        if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime)
            return "certificate expired, \"Not After\" time is in the past";
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (constraints is not { CertificateAuthority: true })
            return "certificate does not appear to be a CA because it is missing the \"CA\" basic constraint";
        return null;
    }

    /// <summary>The SHA-256 of the certificate's DER encoding, as Kong computes cert_digest; null when it does not parse.</summary>
    public static string? Digest(string pem)
    {
        using var certificate = Parse(pem);
        return certificate is null ? null : Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
    }

    /// <summary>
    /// cert_digest follows cert, whatever text the client sent for it (Kong computes it on every write); a value that is
    /// not text is left for validation to refuse, as Kong checks the type before it computes.
    /// </summary>
    public static void Expand(JsonObject document, FieldErrors errors)
    {
        if (document["cert_digest"] is { } sent && (sent is not JsonValue text || !text.TryGetValue<string>(out _))) return;
        if (document["cert"] is JsonValue value && value.TryGetValue<string>(out var pem) && Digest(pem) is { } digest)
            document["cert_digest"] = digest;
    }

    private static X509Certificate2? Parse(string pem)
    {
        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return null;
        }
    }
}
