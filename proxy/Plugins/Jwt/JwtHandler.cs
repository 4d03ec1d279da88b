using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Gateway.Proxy.Consumers;
using Gateway.Proxy.Entities;
using Gateway.Proxy.JsonWebTokens;
using Gateway.Proxy.PluginEngine;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Plugins.Jwt;

/// <summary>
/// Authenticates a request by a signed JSON Web Token, as Kong's jwt: the token's key claim (iss by default) names
/// a consumer's jwt secret, the token must be signed with that secret's algorithm and key, and the claims listed in
/// claims_to_verify must hold. Every refusal is a 401 with Kong's message and a Bearer challenge.
/// </summary>
public sealed class JwtHandler(JwtConfig config) : PluginHandler
{
    public const string Name = "jwt";

    /// <summary>How far clocks may disagree when exp and nbf are checked.</summary>
    public const double ClockSkewSeconds = 30;

    public static readonly PluginDefinition Registration =
        PluginDefinition.Create<JwtConfig>(Name, 1450, (config, _) => new JwtHandler(config), allowsConsumer: false);

    private readonly string _challenge = ChallengeOf(config);
    private readonly string _invalidTokenChallenge = ChallengeOf(config) + " error=\"invalid_token\"";
    private readonly bool _verifyExpires = config.ClaimsToVerify?.Contains("exp") == true;
    private readonly bool _verifyNotBefore = config.ClaimsToVerify?.Contains("nbf") == true;

    // Verifiers are built the first time a secret is used, once per snapshot (a public key is parsed once, not per request).
    private readonly ConcurrentDictionary<Guid, SignatureVerifier?> _verifiers = new();

    private static string ChallengeOf(JwtConfig config) => config.Realm is { } realm ? $"Bearer realm=\"{realm}\"" : "Bearer";

    public override ValueTask AccessAsync(PluginContext context)
    {
        if (!config.RunOnPreflight && HttpMethods.IsOptions(context.Http.Request.Method)) return ValueTask.CompletedTask;
        if (AuthenticationOutcome.AlreadySatisfied(context, config.Anonymous)) return ValueTask.CompletedTask;
        Authenticate(context);
        return ValueTask.CompletedTask;
    }

    private void Authenticate(PluginContext context)
    {
        var found = FindToken(context.Http.Request);
        if (found.Multiple)
        {
            Fail(context, "Multiple tokens provided");
            return;
        }
        if (found.Token is not { } token)
        {
            AuthenticationOutcome.Fail(context, config.Anonymous, 401, "Unauthorized", _challenge);
            return;
        }

        var jwt = JsonWebToken.Decode(token, config.KeyClaimName, out var error);
        if (jwt is null)
        {
            Fail(context, "Bad token; " + error);
            return;
        }
        var claim = config.KeyClaimName;
        if (jwt.Key is not { } keyValue)
        {
            Fail(context, $"No mandatory '{claim}' in claims");
            return;
        }
        if (keyValue.ValueKind != JsonValueKind.String || keyValue.GetString() is not { Length: > 0 } key)
        {
            Fail(context, $"Invalid '{claim}' in claims");
            return;
        }
        if (context.Consumers.FindJwtSecret(key) is not { } secret)
        {
            Fail(context, $"No credentials found for given '{claim}'");
            return;
        }
        if (jwt.Algorithm != secret.Algorithm)
        {
            Fail(context, "Invalid algorithm");
            return;
        }
        if (VerifierFor(secret) is not { } verifier)
        {
            Fail(context, "Invalid key/secret");
            return;
        }
        if (!verifier.Verify(jwt.SigningInput, jwt.Signature))
        {
            Fail(context, "Invalid signature");
            return;
        }
        if (CheckClaims(jwt, context.Services.Clock.GetUtcNow()) is { } claimErrors)
        {
            Fail(context, Describe(claimErrors), claimErrors);
            return;
        }
        if (context.Consumers.ById(secret.Consumer!.Id) is not { } consumer)
        {
            Fail(context, $"Could not find consumer for '{claim}={key}'");
            return;
        }
        context.Authenticate(consumer, secret.Id, secret.Key);
    }

    private void Fail(PluginContext context, string message, List<KeyValuePair<string, string>>? fields = null) =>
        AuthenticationOutcome.Fail(context, config.Anonymous, 401, message, _invalidTokenChallenge, fields);

    /// <summary>The tokens in the query, cookies and headers; the same token in several places counts once.</summary>
    private FoundToken FindToken(HttpRequest request)
    {
        var found = new FoundToken();
        foreach (var name in config.UriParamNames)
            if (request.Query.TryGetValue(name, out var values))
                foreach (var value in values) found.Add(value);
        foreach (var name in config.CookieNames) found.Add(request.Cookies[name]);
        foreach (var name in config.HeaderNames)
            if (request.Headers.TryGetValue(name, out var values) && values.Count > 0) found.Add(BearerToken(values[0]));
        return found;
    }

    /// <summary>The token of "Bearer &lt;token&gt;"; null for any other form.</summary>
    public static string? BearerToken(string? header)
    {
        var value = header.AsSpan().Trim();
        if (value.Length < 8 || !value.StartsWith("Bearer", StringComparison.OrdinalIgnoreCase) || value[6] is not (' ' or '\t'))
            return null;
        return value[7..].Trim().ToString();
    }

    private struct FoundToken
    {
        public string? Token;
        public bool Multiple;

        public void Add(string? candidate)
        {
            if (string.IsNullOrEmpty(candidate)) return;
            if (Token is null) Token = candidate;
            else if (Token != candidate) Multiple = true;
        }
    }

    private SignatureVerifier? VerifierFor(JwtSecret secret) =>
        _verifiers.GetOrAdd(secret.Id, static (_, state) => CreateVerifier(state.Secret, state.Base64), (Secret: secret, Base64: config.SecretIsBase64));

    private static SignatureVerifier? CreateVerifier(JwtSecret secret, bool secretIsBase64)
    {
        if (!secret.UsesHmac) return SignatureVerifier.ForPublicKey(secret.Algorithm, secret.RsaPublicKey ?? "");
        var bytes = secretIsBase64
            ? JsonWebToken.FromBase64Url(secret.Secret!.Replace('+', '-').Replace('/', '_'))
            : Encoding.UTF8.GetBytes(secret.Secret!);
        return bytes is { Length: > 0 } ? SignatureVerifier.ForSecret(secret.Algorithm, bytes) : null;
    }

    /// <summary>The claims_to_verify checks, then maximum_expiration; null when all pass, else each failed claim with Kong's text.</summary>
    private List<KeyValuePair<string, string>>? CheckClaims(JsonWebToken jwt, DateTimeOffset now)
    {
        var seconds = now.ToUnixTimeMilliseconds() / 1000.0;
        List<KeyValuePair<string, string>>? errors = null;
        if (_verifyExpires)
        {
            if (jwt.Expires is not { } exp) Add(ref errors, "exp", "must be a number");
            else if (exp <= seconds - ClockSkewSeconds) Add(ref errors, "exp", "token expired");
        }
        if (_verifyNotBefore)
        {
            if (jwt.NotBefore is not { } nbf) Add(ref errors, "nbf", "must be a number");
            else if (nbf > seconds + ClockSkewSeconds) Add(ref errors, "nbf", "token not valid yet");
        }
        if (errors is null && config.MaximumExpiration > 0 && (jwt.Expires is not { } expires || expires - seconds > config.MaximumExpiration))
            Add(ref errors, "exp", "exceeds maximum allowed expiration");
        return errors;
    }

    private static void Add(ref List<KeyValuePair<string, string>>? errors, string claim, string text) =>
        (errors ??= []).Add(new(claim, text));

    /// <summary>One line for the message field: "token expired", "'nbf' must be a number; token expired", …</summary>
    private static string Describe(List<KeyValuePair<string, string>> errors)
    {
        var parts = new string[errors.Count];
        for (var i = 0; i < errors.Count; i++)
            parts[i] = errors[i].Value.StartsWith("token", StringComparison.Ordinal) ? errors[i].Value : $"'{errors[i].Key}' {errors[i].Value}";
        return string.Join("; ", parts);
    }
}
