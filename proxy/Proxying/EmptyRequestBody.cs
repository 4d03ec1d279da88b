using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Proxy.Proxying;

/// <summary>
/// A request that is not idempotent and has no body is forwarded with an empty one (<c>Content-Length: 0</c>, as the
/// .NET HTTP client itself sends such a request). Content, even empty, stops the HTTP client from replaying on its own a
/// request the upstream may have processed (see <see cref="RetryPolicy"/>); YARP builds the upstream request's content
/// only from the incoming request, so the incoming request is the one that says it has a body.
/// </summary>
public static class EmptyRequestBody
{
    public static void DeclareWhenNeeded(HttpContext context)
    {
        if (RetryPolicy.IsIdempotent(context.Request.Method)
            || context.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: false })
            return;
        context.Request.ContentLength = 0;
        context.Features.Set<IHttpRequestBodyDetectionFeature>(Declared.Instance);
    }

    private sealed class Declared : IHttpRequestBodyDetectionFeature
    {
        public static readonly Declared Instance = new();

        public bool CanHaveBody => true;
    }
}
