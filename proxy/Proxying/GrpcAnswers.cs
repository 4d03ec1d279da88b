using System.Text;
using Gateway.Proxy.Transforms;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.Proxy.Proxying;

/// <summary>
/// The gateway's own answers to gRPC requests (no route, a plugin's refusal, an upstream that cannot be reached). A gRPC
/// client cannot read a JSON body, so the answer is what the gRPC protocol calls a trailers-only response: HTTP 200,
/// <c>content-type: application/grpc</c>, no body, and the outcome in <c>grpc-status</c> and <c>grpc-message</c>. The
/// status comes from Kong's table of HTTP statuses to gRPC codes; the message is the one Kong writes for HTTP clients.
/// </summary>
public static class GrpcAnswers
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";

    /// <summary>
    /// A gRPC call, as Kong tells one: HTTP/2 or later, with a gRPC content type (see <see cref="BodyMediaTypes.IsGrpc"/>).
    /// </summary>
    public static bool IsGrpcRequest(HttpRequest request) =>
        (HttpProtocol.IsHttp2(request.Protocol) || HttpProtocol.IsHttp3(request.Protocol)) && BodyMediaTypes.IsGrpc(request.ContentType);

    /// <summary>
    /// Kong's mapping of the gateway's HTTP statuses to gRPC codes, except 502: Kong gives it INTERNAL, but the gateway
    /// answers 502 when the upstream refused or broke the connection, which is gRPC's UNAVAILABLE (a client may retry),
    /// as gRPC's own mapping of an intermediary's 502 has it.
    /// </summary>
    public static int StatusFor(int httpStatus) => httpStatus switch
    {
        200 => 0, // OK
        400 => 3, // INVALID_ARGUMENT
        401 => 16, // UNAUTHENTICATED
        403 => 7, // PERMISSION_DENIED
        404 => 5, // NOT_FOUND
        409 => 6, // ALREADY_EXISTS
        429 => 8, // RESOURCE_EXHAUSTED
        499 => 1, // CANCELLED
        500 => 13, // INTERNAL
        501 => 12, // UNIMPLEMENTED
        502 or 503 => 14, // UNAVAILABLE
        504 => 4, // DEADLINE_EXCEEDED
        >= 500 and <= 599 => 13,
        >= 400 and <= 499 => 3,
        >= 200 and <= 299 => 0,
        _ => 2, // UNKNOWN
    };

    /// <summary>
    /// The grpc-message form of <paramref name="message"/>: percent-encoded UTF-8 for every byte outside printable ASCII
    /// and for '%' itself, as the gRPC protocol requires.
    /// </summary>
    public static string EncodeMessage(string message)
    {
        var plain = true;
        foreach (var c in message)
        {
            if (c is < ' ' or > '~' or '%')
            {
                plain = false;
                break;
            }
        }
        if (plain) return message;
        var text = new StringBuilder(message.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is < (byte)' ' or > (byte)'~' or (byte)'%') text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            else text.Append((char)b);
        }
        return text.ToString();
    }

    /// <summary>Answers the call with <paramref name="httpStatus"/>'s gRPC code and <paramref name="message"/>, in headers only.</summary>
    public static void Write(HttpContext context, int httpStatus, string? message, string requestId, long startedAt)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        GatewayResponses.SetGeneratedHeaders(context, requestId, startedAt);
        var headers = response.Headers;
        headers[HeaderNames.ContentType] = ContentType;
        headers[StatusHeader] = StatusText(StatusFor(httpStatus));
        if (message is not null) headers[MessageHeader] = EncodeMessage(message);
        // Headers and no body: Kestrel sends one HEADERS frame that ends the stream, a trailers-only response.
        response.ContentLength = 0;
    }

    private static string StatusText(int code) => code.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
