using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gateway.Proxy.PluginEngine;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.Proxy.Proxying;

/// <summary>Responses the gateway produces itself, with Kong's messages, body shapes and headers.</summary>
public static class GatewayResponses
{
    public const string NoRoute = "no Route matched with those values";
    public const string NoService = "no Service found with those values";
    public const string NoPeer = "failure to get a peer from the ring-balancer";
    public const string NameResolutionFailed = "name resolution failed";
    public const string InvalidResponse = "An invalid response was received from the upstream server";
    public const string TimingOut = "The upstream server is timing out";
    public const string UseHttps = "Please use HTTPS protocol";
    public const string MethodNotAllowed = "Method not allowed";

    private const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>
    /// Kong's <c>kong.response.error</c>: the JSON error template with the request id, byte for byte
    /// <c>{\n  "message":"…",\n  "request_id":"…"\n}</c>; <paramref name="fields"/>, when given, come first.
    /// A gRPC call gets the same outcome as gRPC status and message instead (see <see cref="GrpcAnswers"/>).
    /// </summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string message, string requestId, long startedAt,
        IReadOnlyList<KeyValuePair<string, string>>? fields = null)
    {
        if (GrpcAnswers.IsGrpcRequest(context.Request)) return WriteGrpc(context, status, message, requestId, startedAt);
        var body = new StringBuilder("{\n");
        if (fields is not null)
            foreach (var (name, value) in fields) body.Append("  \"").Append(JsonText(name)).Append("\":\"").Append(JsonText(value)).Append("\",\n");
        body.Append("  \"message\":\"").Append(JsonText(message)).Append("\",\n  \"request_id\":\"").Append(requestId).Append("\"\n}");
        return WriteAsync(context, status, body.ToString(), requestId, startedAt);
    }

    /// <summary>Kong's <c>kong.response.exit(status, { message = … })</c>: compact JSON without request id.</summary>
    public static Task WriteMessageAsync(HttpContext context, int status, string message, string requestId, long startedAt) =>
        GrpcAnswers.IsGrpcRequest(context.Request)
            ? WriteGrpc(context, status, message, requestId, startedAt)
            : WriteAsync(context, status, "{\"message\":\"" + JsonText(message) + "\"}", requestId, startedAt);

    /// <summary>A plugin's own answer (see <see cref="PluginReply"/>); a gRPC call gets its status and message instead.</summary>
    public static Task WriteReplyAsync(HttpContext context, int status, PluginReply reply, string requestId, long startedAt) =>
        GrpcAnswers.IsGrpcRequest(context.Request)
            ? WriteGrpc(context, status, reply.GrpcMessage, requestId, startedAt)
            : WriteAsync(context, status, reply.ContentType, reply.Body, requestId, startedAt);

    /// <summary>Text as the inside of a JSON string. Messages may come from configuration (a plugin's message), so quotes are escaped.</summary>
    public static string JsonText(string text) =>
        text.AsSpan().IndexOfAny(MustEscape) < 0 ? text : JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();

    // Quotes, backslashes and control characters.
    private static readonly SearchValues<char> MustEscape =
        SearchValues.Create("\"\\" + string.Concat(Enumerable.Range(0, 0x20).Select(c => (char)c)));

    /// <summary>An empty response such as an https redirect.</summary>
    public static Task WriteEmptyAsync(HttpContext context, int status, string requestId, long startedAt)
    {
        if (GrpcAnswers.IsGrpcRequest(context.Request)) return WriteGrpc(context, status, null, requestId, startedAt);
        context.Response.StatusCode = status;
        SetGeneratedHeaders(context, requestId, startedAt);
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Headers on every response the gateway generates instead of an upstream; then the plugins that ran for the
    /// request get to adjust them (rate-limit headers on a 429, CORS headers on a 401, …), as on an upstream's response.
    /// </summary>
    public static void SetGeneratedHeaders(HttpContext context, string requestId, long startedAt)
    {
        var headers = context.Response.Headers;
        headers[GatewayHeaders.ResponseLatency] = GatewayHeaders.Milliseconds(startedAt, Stopwatch.GetTimestamp());
        headers.Server = GatewayHeaders.Server;
        headers[GatewayHeaders.RequestId] = requestId;
        if (context.Features.Get<ProxyExchange>()?.Plugins is { } plugins) PluginChain.RunHeaderFilters(plugins, context.Response);
    }

    private static Task WriteGrpc(HttpContext context, int status, string? message, string requestId, long startedAt)
    {
        GrpcAnswers.Write(context, status, message, requestId, startedAt);
        return Task.CompletedTask;
    }

    private static Task WriteAsync(HttpContext context, int status, string body, string requestId, long startedAt) =>
        WriteAsync(context, status, JsonContentType, Encoding.UTF8.GetBytes(body), requestId, startedAt);

    private static Task WriteAsync(HttpContext context, int status, string contentType, byte[] bytes, string requestId, long startedAt)
    {
        var response = context.Response;
        response.StatusCode = status;
        SetGeneratedHeaders(context, requestId, startedAt);
        response.Headers[HeaderNames.ContentType] = contentType;
        response.ContentLength = bytes.Length;
        if (HttpMethods.IsHead(context.Request.Method)) return Task.CompletedTask;
        return response.Body.WriteAsync(bytes, 0, bytes.Length, context.RequestAborted);
    }
}
