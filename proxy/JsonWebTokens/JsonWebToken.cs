using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Gateway.Proxy.JsonWebTokens;

/// <summary>
/// A compact JWS token taken apart: the header's algorithm, the claim that names the signing secret, the date claims,
/// and what the signature covers. Decoding checks only the form; <see cref="SignatureVerifier"/> checks the signature.
/// </summary>
public sealed class JsonWebToken
{
    /// <summary>The algorithms a token may name; anything else, "none" included, is refused while decoding.</summary>
    private static readonly IReadOnlySet<string> Algorithms = new HashSet<string>(StringComparer.Ordinal)
    {
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512",
    };

    private JsonWebToken(string algorithm, JsonElement? key, double? expires, double? notBefore, byte[] signingInput,
        byte[] signature)
    {
        Algorithm = algorithm;
        Key = key;
        Expires = expires;
        NotBefore = notBefore;
        SigningInput = signingInput;
        Signature = signature;
    }

    public string Algorithm { get; }

    /// <summary>The key claim's value, from the payload or else the header; null when neither has it.</summary>
    public JsonElement? Key { get; }

    /// <summary>The exp claim in seconds; null when it is missing or not a finite number.</summary>
    public double? Expires { get; }

    /// <summary>The nbf claim in seconds; null when it is missing or not a finite number.</summary>
    public double? NotBefore { get; }

    /// <summary>The ASCII bytes of "header.payload", which the signature signs.</summary>
    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    /// <summary>
    /// Takes a token apart, or says why it cannot (Kong's words: "invalid JSON", "invalid alg", "invalid signature").
    /// <paramref name="keyClaim"/> names the claim looked up in the payload and then in the header.
    /// </summary>
    public static JsonWebToken? Decode(string token, string keyClaim, out string? error)
    {
        error = "invalid JSON";
        var firstDot = token.IndexOf('.');
        var secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (secondDot < 0) return null;

        using var header = ParseObject(token.AsSpan(0, firstDot));
        using var payload = ParseObject(token.AsSpan(firstDot + 1, secondDot - firstDot - 1));
        if (header is null || payload is null) return null;
        var h = header.RootElement;
        var p = payload.RootElement;

        if (!h.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || !Algorithms.Contains(alg.GetString()!))
        {
            error = "invalid alg";
            return null;
        }
        var signature = FromBase64Url(token.AsSpan(secondDot + 1));
        if (signature is null)
        {
            error = "invalid signature";
            return null;
        }

        error = null;
        // Only the key claim outlives the documents.
        var key = (Claim(p, keyClaim) ?? Claim(h, keyClaim))?.Clone();
        return new JsonWebToken(alg.GetString()!, key, DateClaim(p, "exp"), DateClaim(p, "nbf"),
            Encoding.ASCII.GetBytes(token, 0, secondDot), signature);
    }

    /// <summary>base64url, with or without padding; null when the text is not.</summary>
    public static byte[]? FromBase64Url(ReadOnlySpan<char> text)
    {
        var trimmed = text.TrimEnd('=');
        if (!Base64Url.IsValid(trimmed, out var length)) return null;
        var bytes = new byte[length];
        return Base64Url.TryDecodeFromChars(trimmed, bytes, out var written) && written == length ? bytes : null;
    }

    /// <summary>A base64url JSON object; null when the part is not one. The caller disposes it.</summary>
    private static JsonDocument? ParseObject(ReadOnlySpan<char> part)
    {
        if (FromBase64Url(part) is not { } json) return null;
        try
        {
            var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonElement? Claim(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static double? DateClaim(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds)
        && double.IsFinite(seconds)
            ? seconds
            : null;
}
