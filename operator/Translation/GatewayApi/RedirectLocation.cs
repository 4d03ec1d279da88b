using System.Text.Json.Nodes;
using Gateway.Operator.GatewayApi;

namespace Gateway.Operator.Translation.GatewayApi;

/// <summary>
/// A RequestRedirect filter as the configuration of the proxy's <c>redirect</c> plugin. Kong's own fields take a fixed
/// location; the plugin's <c>tollgate_request_redirect</c> builds the location from the request's URL instead, as the
/// spec asks: the request's scheme, host and port unless the filter replaces them (a replaced scheme brings its
/// well-known port), its path unless replaced (whole, or the prefix the Kong route matched), its query always.
/// </summary>
public static class RedirectLocation
{
    public const string Plugin = "redirect";

    private static readonly int[] StatusCodes = [301, 302, 303, 307, 308];

    /// <param name="prefix">The PathPrefix value of the match the redirect serves, or null for another kind of match.</param>
    public static (JsonObject? Config, Problem? Problem) For(HttpRequestRedirectFilter redirect, string field, string? prefix)
    {
        var status = redirect.StatusCode ?? 302;
        if (!StatusCodes.Contains(status))
            return (null, new Problem(field + ".statusCode", RouteReasons.UnsupportedValue, $"unsupported redirect status {status}"));
        if (redirect.Scheme is { } given && given is not ("http" or "https"))
            return (null, new Problem(field + ".scheme", RouteReasons.UnsupportedValue, $"unsupported scheme \"{given}\""));
        var request = new JsonObject();
        if (redirect.Scheme is { } scheme)
            request["scheme"] = scheme;
        if (redirect.Hostname is { } hostname)
            request["hostname"] = hostname;
        if (redirect.Port is { } port)
            request["port"] = port;
        switch (redirect.Path)
        {
            case null:
                break;
            case { Type: "ReplaceFullPath", ReplaceFullPath: { } full }:
                request["replace_full_path"] = full.StartsWith('/') ? full : "/" + full;
                break;
            case { Type: "ReplacePrefixMatch" } when prefix is null:
                return (null, new Problem(field + ".path", RouteReasons.IncompatibleFilters, "ReplacePrefixMatch needs every match of the rule to be a PathPrefix match"));
            case { Type: "ReplacePrefixMatch", ReplacePrefixMatch: var replacement }:
                request["prefix_match"] = prefix;
                request["replace_prefix_match"] = replacement is null or "" or "/" ? "" : replacement.StartsWith('/') ? replacement : "/" + replacement;
                break;
            default:
                return (null, new Problem(field + ".path.type", RouteReasons.UnsupportedValue, $"unsupported path modifier \"{redirect.Path.Type}\""));
        }
        return (new JsonObject { ["status_code"] = status, ["tollgate_request_redirect"] = request }, null);
    }
}
