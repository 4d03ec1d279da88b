using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Proxy.PluginEngine;

/// <summary>
/// A body a plugin answers a request with, in place of the gateway's error template (Kong's
/// <c>kong.response.exit(status, body)</c>): bytes and their content type, built once per configured plugin unless
/// they depend on the request. A gRPC client cannot read a body, so it is told <see cref="GrpcMessage"/> instead.
/// </summary>
public sealed class PluginReply
{
    public const string JsonType = "application/json; charset=utf-8";
    public const string TextType = "text/plain; charset=utf-8";

    // Readable text as the gateway's own error bodies write it; quotes and control characters are still escaped.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public PluginReply(byte[] body, string contentType, string? grpcMessage)
    {
        Body = body;
        ContentType = contentType;
        GrpcMessage = grpcMessage;
    }

    public byte[] Body { get; }
    public string ContentType { get; }
    public string? GrpcMessage { get; }

    /// <summary>Kong's answer to <c>exit(status, { message = … })</c>: compact <c>{"message":"…"}</c>.</summary>
    public static PluginReply Message(string message) =>
        Json(new JsonObject { ["message"] = message }, message);

    public static PluginReply Json(JsonNode body, string? grpcMessage) =>
        new(Encoding.UTF8.GetBytes(body.ToJsonString(Compact)), JsonType, grpcMessage);

    public static PluginReply Text(string body, string contentType) => new(Encoding.UTF8.GetBytes(body), contentType, null);
}
