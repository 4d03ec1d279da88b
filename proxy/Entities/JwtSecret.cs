using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Entities;

[Description("A key pair for the jwt plugin: tokens whose key claim names 'key' are verified with 'secret' or 'rsa_public_key'.")]
public sealed record JwtSecret : Entity, IEntityRules
{
    [Required, References("consumers", Cascade = true)]
    public EntityRef? Consumer { get; init; }

    [Required, Unique, Generated, Length(1, 1024)]
    [Description("The value of the token's key claim (iss by default) that selects this secret; generated when left out.")]
    public string? Key { get; init; }

    [Generated, Length(1, 4096), Description("The HMAC secret (HS256/HS384/HS512); generated when left out.")]
    public string? Secret { get; init; }

    [Description("PEM public key for RS256/RS384/RS512 (RSA) and ES256/ES384/ES512 (EC on P-256/P-384/P-521); checked when stored.")]
    public string? RsaPublicKey { get; init; }

    // Required: left out, it is HS256; an explicit null is refused rather than stored.
    [Required, OneOf("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512")]
    public string Algorithm { get; init; } = "HS256";

    [System.Text.Json.Serialization.JsonIgnore]
    public bool UsesHmac => Algorithm.StartsWith("HS", StringComparison.Ordinal);

    public void Check(FieldErrors errors)
    {
        if (UsesHmac)
        {
            if (string.IsNullOrEmpty(Secret)) errors.Add("secret", "required field missing");
            return;
        }
        if (string.IsNullOrEmpty(RsaPublicKey)) errors.Add("rsa_public_key", $"required for algorithm {Algorithm}");
        else if (JsonWebTokens.SignatureVerifier.CheckPublicKey(Algorithm, RsaPublicKey) is { } problem) errors.Add("rsa_public_key", problem);
    }
}
