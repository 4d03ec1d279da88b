using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Proxy.RequestPaths;

/// <summary>The canonical path of a request, read from the request target exactly as the client sent it.</summary>
public static class RequestTarget
{
    /// <summary>
    /// The request's canonical path. For an already canonical path (nearly every request) this is the path string
    /// Kestrel made anyway, so nothing is allocated.
    /// </summary>
    public static PathRefusal ReadPath(HttpContext context, out string path, out bool hasEncodedSlash)
    {
        var decoded = context.Request.Path.Value ?? "";
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var rawPath = PathOf(string.IsNullOrEmpty(raw) ? decoded : raw);
        if (CanonicalPath.IsCanonical(rawPath))
        {
            hasEncodedSlash = false;
            path = rawPath.SequenceEqual(decoded) ? decoded : rawPath.ToString();
            return PathRefusal.None;
        }
        return CanonicalPath.Canonicalize(rawPath, out path, out hasEncodedSlash);
    }

    /// <summary>
    /// The path part of a request target: of origin form ("/a/b?q") and of absolute form
    /// ("http://host/a/b?q"); empty for the asterisk and authority forms, which name no path.
    /// </summary>
    public static ReadOnlySpan<char> PathOf(string target)
    {
        var span = target.AsSpan();
        var end = span.IndexOfAny('?', '#');
        if (end >= 0) span = span[..end];
        if (span.StartsWith('/')) return span;
        var scheme = span.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0) return default;
        var authority = span[(scheme + 3)..];
        var slash = authority.IndexOf('/');
        return slash < 0 ? "/" : authority[slash..];
    }
}
