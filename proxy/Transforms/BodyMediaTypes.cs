namespace Gateway.Proxy.Transforms;

/// <summary>The bodies plugins read and edit, told apart by the media type of their Content-Type (parameters ignored).</summary>
public static class BodyMediaTypes
{
    /// <summary>
    /// <c>application/json</c> or a structured <c>+json</c> type such as <c>application/problem+json</c>; not streams of
    /// JSON documents such as <c>application/x-ndjson</c>, which are never read whole, nor gRPC calls in JSON
    /// (<c>application/grpc+json</c>, <c>application/grpc-web+json</c>): those are streams of framed messages, which a
    /// plugin that waited for their end would hold up, and whose trailers it would lose.
    /// </summary>
    public static bool IsJson(string? contentType)
    {
        var type = MediaType(contentType);
        if (type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)) return false;
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A gRPC call's stream of length-prefixed messages: <c>application/grpc</c>, or <c>application/grpc+FORMAT</c>
    /// (<c>+proto</c>, <c>+json</c>). Not gRPC-Web (<c>application/grpc-web</c>), which carries its status in the body.
    /// </summary>
    public static bool IsGrpc(string? contentType)
    {
        var type = MediaType(contentType);
        return type.Equals("application/grpc", StringComparison.OrdinalIgnoreCase)
               || type.StartsWith("application/grpc+", StringComparison.OrdinalIgnoreCase);
    }

    public static bool IsForm(string? contentType) =>
        MediaType(contentType).Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    private static ReadOnlySpan<char> MediaType(string? contentType)
    {
        var text = contentType.AsSpan();
        var parameters = text.IndexOf(';');
        return (parameters < 0 ? text : text[..parameters]).Trim();
    }
}
