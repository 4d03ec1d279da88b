using Gateway.Proxy.Consumers;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Plugins.Jwt;

public sealed record JwtConfig : IEntityRules
{
    [Length(1, 256), Description("Query parameters a token is read from.")]
    public string[] UriParamNames { get; init; } = ["jwt"];

    [Length(1, 256), Description("Cookies a token is read from.")]
    public string[] CookieNames { get; init; } = [];

    [Length(1, 256), Description("Headers a token is read from, as 'Bearer <token>'.")]
    public string[] HeaderNames { get; init; } = ["authorization"];

    [OneOf("exp", "nbf"), Description("Registered claims to check: exp (not expired) and nbf (already valid), with 30 s of clock skew.")]
    public string[]? ClaimsToVerify { get; init; }

    [Length(1, 256), Description("The claim (in the payload, else the header) whose value is the key of the consumer's jwt secret.")]
    public string KeyClaimName { get; init; } = "iss";

    [Description("The HMAC secrets are base64-encoded; tokens are signed with the decoded bytes.")]
    public bool SecretIsBase64 { get; init; }

    [Description("Consumer id or username to use when authentication fails, instead of answering 401.")]
    public string? Anonymous { get; init; }

    [Description("Authenticate CORS preflight (OPTIONS) requests too.")]
    public bool RunOnPreflight { get; init; } = true;

    [Between(0, 31_536_000), Description("Refuse tokens whose exp is more than this many seconds ahead; 0 = no limit. Needs 'exp' in claims_to_verify.")]
    public int MaximumExpiration { get; init; }

    [Length(1, 256), CheckedBy(typeof(AuthenticationOutcome), nameof(AuthenticationOutcome.CheckRealm))]
    [Description("The realm of the WWW-Authenticate: Bearer challenge sent with a 401.")]
    public string? Realm { get; init; }

    public void Check(FieldErrors errors)
    {
        if (MaximumExpiration > 0 && ClaimsToVerify?.Contains("exp") != true)
            errors.Add("claims_to_verify", "expected to contain: exp (maximum_expiration is set)");
    }
}
