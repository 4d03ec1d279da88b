using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Proxy.Admin.Http;

/// <summary>
/// The Admin API's request-body limit. The server as a whole reads bodies without limit (the proxy's plugins limit
/// them there), so the limit is set on each admin request. A declared Content-Length over it is answered 413 before
/// anything is read (the server then drains the body for a few seconds, so that a client still sending it reads the
/// answer rather than a reset); a chunked body makes the server stop reading as soon as it passes the limit.
/// </summary>
public static class BodyLimit
{
    /// <summary>Applies <paramref name="limit"/> to this request; returns the 413 answer when it is already exceeded.</summary>
    public static AdminResponse? Apply(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit) return TooLarge(limit);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;
        return null;
    }

    public static AdminResponse TooLarge(long limit) =>
        AdminResponse.Message(StatusCodes.Status413PayloadTooLarge, $"Request body too large: the Admin API reads at most {limit} bytes");
}
