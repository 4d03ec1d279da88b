using System.Security.Cryptography;
using Gateway.Proxy.JsonWebTokens;

namespace Gateway.Proxy.Tests.JsonWebTokens;

public sealed class SignatureVerifierTests
{
    [Theory]
    [InlineData("RS256")]
    [InlineData("RS512")]
    public void Rsa_public_keys_in_either_pem_form_are_accepted(string alg)
    {
        using var rsa = RSA.Create(2048);
        Assert.Null(SignatureVerifier.CheckPublicKey(alg, rsa.ExportSubjectPublicKeyInfoPem()));
        Assert.Null(SignatureVerifier.CheckPublicKey(alg, rsa.ExportRSAPublicKeyPem()));
    }

    [Fact]
    public void Ec_keys_must_be_on_the_curve_of_the_algorithm()
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = p256.ExportSubjectPublicKeyInfoPem();

        Assert.Null(SignatureVerifier.CheckPublicKey("ES256", pem));
        Assert.Equal("invalid key: ES384 needs an EC key on curve P-384, this one has 256 bits", SignatureVerifier.CheckPublicKey("ES384", pem));
    }

    [Theory]
    [InlineData("RS256", "not a key")]
    [InlineData("RS256", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")]
    [InlineData("ES256", "")]
    public void Anything_else_is_an_invalid_key(string alg, string pem) =>
        Assert.StartsWith("invalid key:", SignatureVerifier.CheckPublicKey(alg, pem));

    [Fact]
    public void A_key_of_the_wrong_family_is_an_invalid_key()
    {
        using var rsa = RSA.Create(2048);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.StartsWith("invalid key:", SignatureVerifier.CheckPublicKey("ES256", rsa.ExportSubjectPublicKeyInfoPem()));
        Assert.StartsWith("invalid key:", SignatureVerifier.CheckPublicKey("RS256", ecdsa.ExportSubjectPublicKeyInfoPem()));
    }

    [Fact]
    public void An_ecdsa_signature_of_the_wrong_length_is_refused_not_thrown()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var verifier = SignatureVerifier.ForPublicKey("ES256", ecdsa.ExportSubjectPublicKeyInfoPem())!;

        Assert.False(verifier.Verify("a.b"u8, new byte[10]));
        Assert.False(verifier.Verify("a.b"u8, []));
    }

    [Fact]
    public void An_hmac_signature_of_the_wrong_length_is_refused()
    {
        var verifier = SignatureVerifier.ForSecret("HS256", "secret"u8.ToArray());
        var right = HMACSHA256.HashData("secret"u8, "a.b"u8);

        Assert.True(verifier.Verify("a.b"u8, right));
        Assert.False(verifier.Verify("a.b"u8, right.AsSpan(0, 31)));
        Assert.False(verifier.Verify("a.b"u8, []));
    }
}
