using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Gateway.Proxy.Admin.Http;

/// <summary>A request body as a JSON object, and whether it came from a form (its values are still text).</summary>
public sealed record RequestBody(JsonObject Fields, bool IsForm)
{
    public static readonly string ParseError = "Cannot parse JSON body";

    /// <summary>
    /// Reads JSON, url-encoded and multipart bodies as Kong does. Without a Content-Type the body is taken as
    /// JSON when it looks like a JSON object and as a url-encoded form otherwise; other types are refused (415).
    /// </summary>
    public static async Task<RequestBody> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var contentType = request.ContentType;
        if (contentType is not null && Is(contentType, "multipart/form-data"))
            return new RequestBody(FormDecoder.Decode(await ReadMultipartAsync(request, contentType, ct)), true);

        var text = await ReadTextAsync(request, ct);
        if (contentType is null || contentType.Trim().Length == 0)
        {
            if (text.Trim().Length == 0) return new RequestBody(new JsonObject(), false);
            return text.TrimStart().StartsWith('{')
                ? new RequestBody(ParseJsonObject(text), false)
                : new RequestBody(FormDecoder.Decode(FormDecoder.ParseUrlEncoded(text.Trim())), true);
        }
        if (Is(contentType, "application/json")) return new RequestBody(ParseJsonObject(text), false);
        if (Is(contentType, "application/x-www-form-urlencoded"))
            return new RequestBody(FormDecoder.Decode(FormDecoder.ParseUrlEncoded(text.Trim())), true);
        if (text.Length == 0) return new RequestBody(new JsonObject(), false);
        throw new AdminException(AdminResponse.Message(415, "Unsupported Media Type"));
    }

    public static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return await reader.ReadToEndAsync(ct);
    }

    /// <summary>Parses a JSON object (duplicate keys refused), or answers 400 Cannot parse JSON body.</summary>
    public static JsonObject ParseJsonObject(string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
            ReadAllStrings(node);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw AdminException.BadRequest(ParseError);
        }
        return node as JsonObject ?? throw AdminException.BadRequest("Cannot parse JSON body: expected a JSON object");
    }

    // A string escaped as a lone UTF-16 surrogate ("\ud800") parses, but fails when read; read them all now.
    private static void ReadAllStrings(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj) ReadAllStrings(value);
                break;
            case JsonArray array:
                foreach (var item in array) ReadAllStrings(item);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                value.GetValue<string>();
                break;
        }
    }

    private static bool Is(string contentType, string mediaType) =>
        contentType.TrimStart().StartsWith(mediaType, StringComparison.OrdinalIgnoreCase);

    private static async Task<List<KeyValuePair<string, string>>> ReadMultipartAsync(
        HttpRequest request, string contentType, CancellationToken ct)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            // A multipart request without a boundary carries no readable fields (Kong treats it as empty).
            return pairs;
        }
        // RFC 2046 allows at most 70 characters; the reader refuses longer ones with an exception of its own.
        if (boundary.Length > 70) throw AdminException.BadRequest("Cannot parse multipart body: the boundary is longer than 70 characters");
        var reader = new MultipartReader(boundary, request.Body);
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (string.IsNullOrEmpty(name)) continue;
                using var text = new StreamReader(section.Body, Encoding.UTF8);
                // File parts (curl -F cert=@cert.pem) contribute their content, as in Kong.
                pairs.Add(new(name, await text.ReadToEndAsync(ct)));
            }
        }
        // The server's own refusals (a body over the limit) are IOExceptions too; they keep their status.
        catch (Exception e) when (e is (IOException or InvalidDataException) and not BadHttpRequestException)
        {
            throw AdminException.BadRequest("Cannot parse multipart body");
        }
        return pairs;
    }
}
