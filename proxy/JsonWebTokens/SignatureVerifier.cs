using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Gateway.Proxy.JsonWebTokens;

/// <summary>
/// Checks JWT signatures for one secret and algorithm: HMAC (HS256/384/512) with a shared secret, RSA PKCS#1 v1.5
/// (RS256/384/512) or ECDSA (ES256/384/512) with a public key. Built once per secret and shared by all requests.
/// </summary>
public abstract class SignatureVerifier
{
    public abstract bool Verify(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature);

    public static SignatureVerifier ForSecret(string algorithm, byte[] secret) => new Hmac(Hash(algorithm), secret);

    /// <summary>A verifier for a PEM public key, or null when the PEM does not hold a key fit for the algorithm.</summary>
    public static SignatureVerifier? ForPublicKey(string algorithm, string pem) =>
        ImportPublicKey(algorithm, pem, out var publicKey) is null ? new PublicKey(algorithm, Hash(algorithm), publicKey) : null;

    /// <summary>Why <paramref name="pem"/> cannot verify <paramref name="algorithm"/> tokens; null when it can.</summary>
    public static string? CheckPublicKey(string algorithm, string pem) => ImportPublicKey(algorithm, pem, out _);

    private static HashAlgorithmName Hash(string algorithm) => algorithm[2..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        "512" => HashAlgorithmName.SHA512,
        _ => throw new ArgumentException($"unsupported algorithm {algorithm}", nameof(algorithm)),
    };

    /// <summary>Reads the PEM once, keeping the public key as SubjectPublicKeyInfo bytes (a private key's public half is fine).</summary>
    private static string? ImportPublicKey(string algorithm, string pem, out byte[] publicKey)
    {
        publicKey = [];
        try
        {
            if (algorithm.StartsWith("RS", StringComparison.Ordinal))
            {
                using var rsa = RSA.Create();
                rsa.ImportFromPem(pem);
                publicKey = rsa.ExportSubjectPublicKeyInfo();
                return null;
            }
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(pem);
            var expectedSize = algorithm switch { "ES256" => 256, "ES384" => 384, _ => 521 };
            if (ecdsa.KeySize != expectedSize)
                return $"invalid key: {algorithm} needs an EC key on curve P-{expectedSize}, this one has {ecdsa.KeySize} bits";
            publicKey = ecdsa.ExportSubjectPublicKeyInfo();
            return null;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            var kind = algorithm.StartsWith("RS", StringComparison.Ordinal) ? "an RSA" : "an EC";
            return $"invalid key: expected {kind} public key in PEM format (-----BEGIN PUBLIC KEY-----)";
        }
    }

    private sealed class Hmac(HashAlgorithmName hash, byte[] secret) : SignatureVerifier
    {
        public override bool Verify(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
        {
            Span<byte> expected = stackalloc byte[64];
            var length = CryptographicOperations.HmacData(hash, secret, signingInput, expected);
            return CryptographicOperations.FixedTimeEquals(expected[..length], signature);
        }
    }

    /// <summary>
    /// RSA and ECDsa objects are not documented as safe for concurrent use, so each request borrows one from a small
    /// pool (as many as requests verify at once), imported from the key's bytes when the pool is empty.
    /// </summary>
    private sealed class PublicKey(string algorithm, HashAlgorithmName hash, byte[] subjectPublicKeyInfo) : SignatureVerifier
    {
        private readonly bool _isRsa = algorithm.StartsWith("RS", StringComparison.Ordinal);
        private readonly ConcurrentBag<AsymmetricAlgorithm> _pool = [];

        public override bool Verify(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
        {
            var key = _pool.TryTake(out var pooled) ? pooled : Import();
            try
            {
                return key is RSA rsa
                    ? rsa.VerifyData(signingInput, signature, hash, RSASignaturePadding.Pkcs1)
                    : ((ECDsa)key).VerifyData(signingInput, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            }
            catch (CryptographicException)
            {
                return false;
            }
            finally
            {
                _pool.Add(key);
            }
        }

        private AsymmetricAlgorithm Import()
        {
            AsymmetricAlgorithm key = _isRsa ? RSA.Create() : ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
            return key;
        }
    }
}
