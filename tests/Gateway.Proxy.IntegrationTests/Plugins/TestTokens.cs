using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Proxy.IntegrationTests.Plugins;

/// <summary>Builds JWTs the way token issuers do, from a header and claims as JSON text, signed with HMAC, RSA or ECDSA.</summary>
public static class TestTokens
{
    public static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static string Hmac(string claims, string secret, string alg = "HS256") =>
        Hmac(claims, Encoding.UTF8.GetBytes(secret), alg);

    public static string Hmac(string claims, byte[] secret, string alg = "HS256") =>
        Sign(alg, claims, input => CryptographicOperations.HmacData(HashOf(alg), secret, input));

    public static string Rsa(string claims, RSA key, string alg = "RS256") =>
        Sign(alg, claims, input => key.SignData(input, HashOf(alg), RSASignaturePadding.Pkcs1));

    public static string Ecdsa(string claims, ECDsa key, string alg = "ES256") =>
        Sign(alg, claims, input => key.SignData(input, HashOf(alg), DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    /// <summary>A token with any header at all and the given signature part (for alg "none" and broken tokens).</summary>
    public static string Unsigned(string header, string claims, string signature = "") => $"{Encode(header)}.{Encode(claims)}.{signature}";

    public static string PublicPem(AsymmetricAlgorithm key) => key.ExportSubjectPublicKeyInfoPem();

    private static string Sign(string alg, string claims, Func<byte[], byte[]> sign)
    {
        var input = $"{Encode($$"""{"typ":"JWT","alg":"{{alg}}"}""")}.{Encode(claims)}";
        return input + "." + Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(input)));
    }

    private static HashAlgorithmName HashOf(string alg) => alg[2..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };
}
