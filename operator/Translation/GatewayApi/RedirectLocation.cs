using System.Text.Json.Nodes;
using Gateway.Operator.GatewayApi;

namespace Gateway.Operator.Translation.GatewayApi;

/// <summary>
/// A RequestRedirect filter as the configuration of the proxy's <c>redirect</c> plugin on one Kong route. Kong's
/// plugin answers with a fixed <c>location</c> URL, keeping the request's path and query when
/// <c>keep_incoming_path</c> is set; what the spec takes from the request instead is known here only where the route
/// leaves one choice: the scheme when it serves one protocol, the host when it serves one (non-wildcard) hostname,
/// the port when its listeners share one. A prefix replacement needs the request's path and cannot be written.
/// </summary>
public static class RedirectLocation
{
    public const string Plugin = "redirect";

    private static readonly int[] StatusCodes = [301, 302, 303, 307, 308];

    /// <param name="protocols">The route's protocols (http, https).</param>
    /// <param name="hosts">The route's hostnames; null for any.</param>
    /// <param name="ports">The ports of the listeners the route serves.</param>
    public static (JsonObject? Config, Problem? Problem) For(HttpRequestRedirectFilter redirect, string field, string[] protocols, string[]? hosts, int[] ports)
    {
        var status = redirect.StatusCode ?? 302;
        if (!StatusCodes.Contains(status))
            return (null, new Problem(field + ".statusCode", RouteReasons.UnsupportedValue, $"unsupported redirect status {status}"));
        if (redirect.Scheme is { } given && given is not ("http" or "https"))
            return (null, new Problem(field + ".scheme", RouteReasons.UnsupportedValue, $"unsupported scheme \"{given}\""));
        var scheme = redirect.Scheme ?? (protocols.Length == 1 ? protocols[0] : null);
        if (scheme is null)
            return (null, new Problem(field + ".scheme", RouteReasons.UnsupportedValue,
                "the request's scheme cannot be kept on a route served over both http and https: the proxy redirects to a fixed location; set scheme"));
        var host = redirect.Hostname ?? (hosts is [var only] && !only.StartsWith('*') ? only : null);
        if (host is null)
            return (null, new Problem(field + ".hostname", RouteReasons.UnsupportedValue,
                "the request's host cannot be kept: the proxy redirects to a fixed location; set hostname, or give the route one hostname"));
        // The spec: a given scheme implies its well-known port; without one the listener's port is kept.
        int? port = redirect.Port ?? (redirect.Scheme is not null ? null : ports.Distinct().Count() == 1 ? ports[0] : -1);
        if (port == -1)
            return (null, new Problem(field + ".port", RouteReasons.UnsupportedValue,
                "the request's port cannot be kept on a route served by listeners of several ports: the proxy redirects to a fixed location; set port"));
        var authority = port is null || (scheme, port) is ("http", 80) or ("https", 443) ? host : $"{host}:{port}";

        string path;
        switch (redirect.Path)
        {
            case null:
                path = "/";
                break;
            case { Type: "ReplaceFullPath", ReplaceFullPath: { } full }:
                path = full.StartsWith('/') ? full : "/" + full;
                break;
            case { Type: "ReplacePrefixMatch" }:
                return (null, new Problem(field + ".path", RouteReasons.UnsupportedValue,
                    "ReplacePrefixMatch is not supported in redirects: the proxy redirects to a fixed path or keeps the request's whole path"));
            default:
                return (null, new Problem(field + ".path.type", RouteReasons.UnsupportedValue, $"unsupported path modifier \"{redirect.Path.Type}\""));
        }
        return (new JsonObject
        {
            ["status_code"] = status,
            ["location"] = $"{scheme}://{authority}{path}",
            ["keep_incoming_path"] = redirect.Path is null,
        }, null);
    }
}
