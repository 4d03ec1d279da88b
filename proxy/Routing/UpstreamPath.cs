namespace Gateway.Proxy.Routing;

/// <summary>
/// Builds the path sent upstream from the service path, the request path and the matched route path,
/// following Kong's two documented algorithms (Admin API reference, "Path handling algorithms"):
/// <list type="bullet">
/// <item>v0 treats service path, route path and request path as segments and joins them with single slashes;</item>
/// <item>v1 treats the service path as a plain prefix of what is left of the request path.</item>
/// </list>
/// With strip_path the matched part of the path (prefix, or whole regex match) is removed first.
/// Both avoid double slashes where the parts meet. At most one string is allocated.
/// </summary>
public static class UpstreamPath
{
    public static string Build(string servicePath, string requestPath, string? matchedPath, bool stripPath, bool v1)
    {
        var service = servicePath.AsSpan();
        if (!stripPath || matchedPath is null)
        {
            if (servicePath == "/") return requestPath;
            if (v1 || service.EndsWith('/')) return string.Concat(service, requestPath.AsSpan(1));
            return requestPath == "/" ? servicePath : servicePath + requestPath;
        }

        // What follows the matched part of the request path.
        var rest = CleanRest(requestPath.AsSpan(matchedPath.Length));
        if (v1)
            return service.EndsWith('/') && rest.StartsWith('/') ? string.Concat(service[..^1], rest) : string.Concat(service, rest);

        if (service.EndsWith('/'))
        {
            if (rest.IsEmpty)
            {
                // "/service/" with nothing left keeps a trailing slash only if the request had one.
                if (servicePath == "/" || requestPath.EndsWith('/')) return servicePath;
                return servicePath[..^1];
            }
            return rest.StartsWith('/') ? string.Concat(service[..^1], rest) : string.Concat(service, rest);
        }

        if (rest.IsEmpty) return requestPath.Length > 1 && requestPath.EndsWith('/') ? servicePath + "/" : servicePath;
        return rest.StartsWith('/') ? string.Concat(service, rest) : string.Concat(service, "/", rest);
    }

    // A leftover "." or ".." segment must not climb above the service path: what was "/api../x" before the prefix
    // "/api" was stripped. On a route that allows encoded slashes, "%2F" and "%5C" end such a segment too.
    private static readonly string[] DotSegmentStarts = ["./", "../", ".%2F", "..%2F", ".%5C", "..%5C"];

    private static ReadOnlySpan<char> CleanRest(ReadOnlySpan<char> rest)
    {
        if (rest is "." or "..") return [];
        foreach (var start in DotSegmentStarts)
            if (rest.StartsWith(start, StringComparison.Ordinal)) return rest[start.Length..];
        return rest;
    }
}
