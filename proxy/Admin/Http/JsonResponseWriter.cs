using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Admin.Http;

/// <summary>Writes an <see cref="AdminResponse"/>: compact JSON, <c>application/json; charset=utf-8</c>.</summary>
public static class JsonResponseWriter
{
    public const string ContentType = "application/json; charset=utf-8";

    // Messages quote values with ' and paths with /; keep them readable as Kong does.
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteAsync(HttpContext context, AdminResponse response)
    {
        var http = context.Response;
        http.StatusCode = response.Status;
        if (response.Body is null) return;
        http.ContentType = ContentType;
        await using var writer = new Utf8JsonWriter(http.Body, new JsonWriterOptions { Encoder = Options.Encoder });
        response.Body.WriteTo(writer, Options);
        await writer.FlushAsync(context.RequestAborted);
    }
}
