using System.Globalization;
using Gateway.Proxy.Routing;

namespace Gateway.Proxy.Plugins.Redirect;

/// <summary>
/// The Location of a redirect, from a configuration compiled once: a fixed URL, a fixed origin followed by the
/// request's path and query (Kong's keep_incoming_path), or the request's own URL with parts replaced
/// (<see cref="RequestRedirect"/>). Pure: the request is given as its scheme, Host header, path and query.
/// </summary>
public sealed class RedirectLocation
{
    private readonly string? _fixed;
    private readonly string? _origin;
    private readonly string? _scheme;
    private readonly string? _hostname;
    private readonly int? _port;
    private readonly string? _fullPath;
    private readonly string? _prefix;
    private readonly string? _replacement;

    public RedirectLocation(RedirectConfig config)
    {
        if (config.TollgateRequestRedirect is { } redirect)
        {
            _scheme = redirect.Scheme;
            // An IPv6 address is written in brackets in a URL.
            _hostname = redirect.Hostname is { } host && host.Contains(':') ? "[" + host + "]" : redirect.Hostname?.ToLowerInvariant();
            _port = redirect.Port;
            _fullPath = redirect.ReplaceFullPath;
            if (redirect.PrefixMatch is { } prefix)
            {
                // Whole segments: "/foo/" and "/foo" match the same paths, and a replacement's trailing '/' is the rest's leading one.
                _prefix = prefix.TrimEnd('/');
                _replacement = redirect.ReplacePrefixMatch!.TrimEnd('/');
            }
        }
        else if (config.KeepIncomingPath)
        {
            _origin = new Uri(config.Location!).GetLeftPart(UriPartial.Authority);
        }
        else
        {
            _fixed = config.Location!;
        }
    }

    /// <summary>The URL to send the client to. <paramref name="query"/> is the query string with its '?', or "".</summary>
    public string For(bool https, string hostHeader, string path, string query)
    {
        if (_fixed is not null) return _fixed;
        if (_origin is not null) return string.Concat(_origin, path, query);

        var requestHost = HostHeader.Split(hostHeader, out var requestPort);
        var scheme = _scheme ?? (https ? "https" : "http");
        // Gateway API: without a port, a redirect to another scheme goes to that scheme's port, and one that keeps the
        // scheme stays on the port the client used.
        var port = _port ?? (_scheme is null && requestPort != 0 ? requestPort : 0);
        var portText = port == 0 || port == DefaultPort(scheme) ? "" : ":" + port.ToString(CultureInfo.InvariantCulture);
        var host = _hostname ?? requestHost.ToString().ToLowerInvariant();
        return string.Concat(scheme, "://", host, portText, PathFor(path), query);
    }

    private string PathFor(string path)
    {
        if (_fullPath is not null) return _fullPath;
        if (_prefix is null || !MatchesPrefix(path, _prefix)) return path;
        var replaced = string.Concat(_replacement, path.AsSpan(_prefix.Length));
        return replaced.Length == 0 ? "/" : replaced;
    }

    private static bool MatchesPrefix(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.Ordinal) && (path.Length == prefix.Length || path[prefix.Length] == '/');

    private static int DefaultPort(string scheme) => scheme == "https" ? 443 : 80;
}

/// <summary>What may go into a Location header from configuration.</summary>
public static class RedirectTexts
{
    /// <summary>No whitespace or control characters, which would break the header or the URL.</summary>
    public static bool IsUrlText(string value)
    {
        foreach (var c in value)
            if (c <= ' ' || c == '\x7f') return false;
        return value.Length > 0;
    }

    /// <summary>A path alone: URL text without a query or fragment.</summary>
    public static bool IsPathText(string value) => IsUrlText(value) && value.IndexOfAny(['?', '#']) < 0;
}
