using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Admin.Browsers;

/// <summary>
/// Recognises a write that a web page could have made a browser send, so that an Admin API open without a token
/// cannot be changed by whatever site a developer has open. Browsers send <c>Origin</c> on every POST, PUT, PATCH
/// and DELETE, and modern ones <c>Sec-Fetch-Site</c> too; command-line clients (curl -d, curl -F) send neither, and
/// they keep working. A write is refused when:
/// <list type="bullet">
/// <item>its <c>Origin</c> is neither the Admin API's own origin nor an allowed GUI origin (<c>null</c> included);</item>
/// <item>its <c>Sec-Fetch-Site</c> is <c>cross-site</c> or <c>same-site</c> and its origin is not allowed
/// (same-site covers every other port on localhost, so it is no better than cross-site here);</item>
/// <item>its Content-Type is <c>text/plain</c>: only a browser's simple request needs it (the Admin API reads JSON,
/// forms and YAML under their own types), and an old browser may send it without an Origin.</item>
/// </list>
/// Url-encoded and multipart forms without any browser header are accepted: that is exactly what curl sends.
/// </summary>
public static class CrossSiteWrite
{
    /// <summary>
    /// Why the write must be refused, or null when it may proceed. <paramref name="scheme"/> and <paramref name="host"/>
    /// are the request's own, which a page of the Admin API itself would have as its origin.
    /// </summary>
    public static string? Refusal(string method, string scheme, string host, string? origin, string? fetchSite,
        string? contentType, IReadOnlySet<string> allowed)
    {
        if (!IsWrite(method)) return null;
        var originAllowed = origin is not null && allowed.Contains(origin);
        if (origin is not null && !originAllowed && !origin.Equals(OwnOrigin(scheme, host), StringComparison.OrdinalIgnoreCase))
            return $"Cross-site write refused: Origin {origin} is not allowed (list it in GATEWAY_ADMIN_GUI_ORIGINS, or send the Admin API token)";
        if (!originAllowed && (Is(fetchSite, "cross-site") || Is(fetchSite, "same-site")))
            return $"Cross-site write refused: Sec-Fetch-Site is {fetchSite} (list the page's origin in GATEWAY_ADMIN_GUI_ORIGINS, or send the Admin API token)";
        if (contentType is not null && IsTextPlain(contentType))
            return "Writes with Content-Type text/plain need the Admin API token; send application/json, a form, or YAML as application/yaml";
        return null;
    }

    /// <summary>The request's own origin, as a browser would write it for a page served at this Host.</summary>
    public static string OwnOrigin(string scheme, string host)
    {
        var name = Routing.HostHeader.Split(host, out var port);
        var defaultPort = scheme == "https" ? 443 : 80;
        var origin = port == 0 || port == defaultPort ? $"{scheme}://{name}" : $"{scheme}://{name}:{port}";
        return origin.ToLowerInvariant();
    }

    // GET, HEAD and OPTIONS change nothing; any other method may.
    private static bool IsWrite(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));

    private static bool Is(string? value, string expected) => string.Equals(value?.Trim(), expected, StringComparison.OrdinalIgnoreCase);

    private static bool IsTextPlain(string contentType)
    {
        var semicolon = contentType.IndexOf(';');
        var mediaType = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return mediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase);
    }
}
