using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Proxying;

/// <summary>
/// gRPC calls that name their message format in the content type (<c>application/grpc+proto</c>, as the gRPC protocol
/// spells it, or <c>application/grpc+json</c>) forwarded as YARP forwards plain <c>application/grpc</c>, which is the only
/// spelling YARP recognises as a stream. Without this, each request message would wait in the upstream connection's
/// buffer (a bidirectional call stalls on its first message) and Kestrel's minimum request data rate would end a call
/// whose client is quiet for a few seconds.
/// <para>
/// YARP decides from the incoming request's content type and takes the request content only from the request, so the
/// call is shown to it as <c>application/grpc</c> while it is forwarded, and the upstream request is given back the
/// client's own content type.
/// </para>
/// </summary>
public static class GrpcStreaming
{
    private const string Grpc = "application/grpc";

    /// <summary>A gRPC call over HTTP/2 or later whose content type has a "+format" suffix.</summary>
    public static bool NeedsHelp(HttpRequest request) =>
        (HttpProtocol.IsHttp2(request.Protocol) || HttpProtocol.IsHttp3(request.Protocol))
        && request.ContentType is { } type && type.StartsWith("application/grpc+", StringComparison.OrdinalIgnoreCase);

    /// <summary>Shows the call to YARP as a plain gRPC stream; returns the client's content type to restore, or null.</summary>
    public static string? Begin(HttpRequest request)
    {
        if (!NeedsHelp(request)) return null;
        var named = request.ContentType;
        request.ContentType = Grpc;
        return named;
    }

    /// <summary>Gives the upstream request the client's content type.</summary>
    public static void Restore(HttpRequestMessage proxyRequest, string named)
    {
        if (proxyRequest.Content is not { } content) return;
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", named);
    }

    /// <summary>Gives the incoming request its content type back once it has been forwarded.</summary>
    public static void End(HttpRequest request, string? named)
    {
        if (named is not null) request.ContentType = named;
    }
}
