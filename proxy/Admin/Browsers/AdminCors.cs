using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.Proxy.Admin.Browsers;

/// <summary>
/// CORS for the Admin API, as Kong does it for its admin_gui_url: only pages of the listed origins may read
/// answers and send preflighted requests. With no origins listed no CORS header is ever sent, so browsers keep
/// every other page out. An allowed origin is echoed (never <c>*</c>) with <c>Vary: Origin</c>; credentials
/// (cookies) are not allowed, since the token travels in a header the page sets itself.
/// </summary>
public sealed class AdminCors(IReadOnlyList<string> origins)
{
    private const string Methods = "GET, HEAD, PUT, PATCH, POST, DELETE";
    private const string Headers = "Content-Type, Authorization, Kong-Admin-Token";

    public IReadOnlySet<string> Origins { get; } = new HashSet<string>(origins, StringComparer.Ordinal);

    /// <summary>Adds the CORS headers this request's answer carries (before anything is written).</summary>
    public void AddHeaders(HttpRequest request, HttpResponse response)
    {
        if (Origins.Count == 0) return;
        // The answer depends on Origin whenever a list is configured, allowed or not: caches must keep them apart.
        response.Headers.Vary = HeaderNames.Origin;
        var origin = request.Headers.Origin.ToString();
        if (!Origins.Contains(origin)) return;
        response.Headers.AccessControlAllowOrigin = origin;
        if (IsPreflight(request))
        {
            response.Headers.AccessControlAllowMethods = Methods;
            response.Headers.AccessControlAllowHeaders = Headers;
            response.Headers.AccessControlMaxAge = "600";
        }
    }

    private static bool IsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod);
}
