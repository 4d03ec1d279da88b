using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Proxy.Schema;

/// <summary>
/// Text a database cannot store: NUL characters and broken UTF-16 (a JSON body may spell both with \u escapes).
/// Caught here as a field error, so that it never reaches the store as an unexpected failure.
/// </summary>
public static class StorableText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool IsStorable(string text) => Problem(text) is null;

    /// <summary>Adds an error for each top-level field whose value (at any depth, keys included) is not storable.</summary>
    public static void Check(JsonObject document, FieldErrors errors)
    {
        foreach (var (key, value) in document)
        {
            var problem = Problem(key) ?? Find(value);
            if (problem is not null) errors.Add(key, problem);
        }
    }

    private static string? Find(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                    if ((Problem(key) ?? Find(value)) is { } inObject) return inObject;
                return null;
            case JsonArray array:
                foreach (var item in array)
                    if (Find(item) is { } inArray) return inArray;
                return null;
            case JsonValue value when value.TryGetValue<string>(out var text):
                return Problem(text);
            default:
                return null;
        }
    }

    private static string? Problem(string text)
    {
        var nul = text.IndexOf('\0');
        if (nul >= 0) return $"invalid value: NUL character at position {nul + 1}";
        // Only surrogates can be broken; the strict encoder, far slower than this search, looks at text holding some.
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0) return null;
        try
        {
            Strict.GetByteCount(text);
            return null;
        }
        catch (EncoderFallbackException e)
        {
            return $"invalid utf-8 character sequence detected at position {e.Index + 1}";
        }
    }
}
