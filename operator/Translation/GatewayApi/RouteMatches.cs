using System.Text.RegularExpressions;
using Gateway.Operator.GatewayApi;

namespace Gateway.Operator.Translation.GatewayApi;

/// <summary>One HTTPRoute match as the proxy's route fields say it, with its rank among the listener's matches.</summary>
public sealed record KongMatch(string[] Paths, Dictionary<string, string[]>? Headers, string[]? Methods, int RegexPriority);

/// <summary>
/// Turns a match into Kong route fields. Every path becomes a regex path, so that the proxy orders the matches of a
/// listener by <c>regex_priority</c>, which carries the spec's precedence: exact path, then longer path, then a
/// method, then more headers. Exact is <c>/foo$</c>; PathPrefix is whole segments (<c>/foo</c> matches <c>/foo</c>
/// and <c>/foo/bar</c>, not <c>/foobar</c>; a trailing slash is ignored; the match is the prefix alone, so that
/// strip_path removes just the prefix); RegularExpression is the pattern anchored
/// at the start, as Kong anchors regex paths. Header values match case-sensitively: exactly, or by the pattern.
/// </summary>
public static class RouteMatches
{
    private const int ExactRank = 1 << 28;
    private const int LengthShift = 12;
    private const int MaxLength = (1 << 11) - 1;
    private const int MethodRank = 1 << 11;
    private const int MaxHeaders = (1 << 6) - 1;

    public static (KongMatch? Match, Problem? Problem) Translate(HttpRouteMatch? match, string field)
    {
        var (path, length, exact, pathProblem) = Path(match?.Path, field + ".path");
        if (pathProblem is not null) return (null, pathProblem);
        if (match?.QueryParams is { Count: > 0 })
            return (null, new Problem(field + ".queryParams", RouteReasons.UnsupportedValue, "query parameter matches are not supported: the proxy routes by path, host, method and headers"));

        Dictionary<string, string[]>? headers = null;
        var matchHeaders = match?.Headers ?? [];
        for (var i = 0; i < matchHeaders.Count; i++)
        {
            var header = matchHeaders[i];
            var value = header.Type switch
            {
                null or "Exact" => "^" + Regex.Escape(header.Value) + "$",
                "RegularExpression" => header.Value,
                _ => null,
            };
            if (value is null)
                return (null, new Problem($"{field}.headers[{i}].type", RouteReasons.UnsupportedValue, $"unsupported header match type \"{header.Type}\""));
            if (IsHost(header.Name))
                return (null, new Problem($"{field}.headers[{i}].name", RouteReasons.UnsupportedValue, "the Host header is matched through hostnames"));
            headers ??= new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            // The spec ignores all but the first match of a header name. "(?-i)" undoes the proxy's case-insensitivity.
            headers.TryAdd(header.Name.ToLowerInvariant(), ["~*(?-i)" + value]);
        }

        string[]? methods = match?.Method is { } method ? [method.ToUpperInvariant()] : null;
        var priority = (exact ? ExactRank : 0) + (Math.Min(length, MaxLength) << LengthShift)
                       + (methods is null ? 0 : MethodRank) + Math.Min(headers?.Count ?? 0, MaxHeaders);
        return (new KongMatch([path], headers, methods, priority), null);
    }

    private static (string Path, int Length, bool Exact, Problem? Problem) Path(HttpPathMatch? match, string field)
    {
        var value = match?.Value ?? "/";
        if (!value.StartsWith('/'))
            return ("", 0, false, new Problem(field + ".value", ProblemReasons.InvalidPath, $"invalid path \"{value}\": must start with '/'"));
        switch (match?.Type ?? "PathPrefix")
        {
            case "Exact":
                return ("~" + Regex.Escape(value) + "$", value.Length, true, null);
            case "PathPrefix":
                var prefix = value.TrimEnd('/');
                return (prefix.Length == 0 ? "~/" : "~" + Regex.Escape(prefix) + "(?=/|$)", prefix.Length, false, null);
            case "RegularExpression":
                try
                {
                    _ = new Regex(value, RegexOptions.None, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException e)
                {
                    return ("", 0, false, new Problem(field + ".value", ProblemReasons.InvalidPath, $"invalid regular expression \"{value}\": {e.Message}"));
                }
                return ("~" + value, value.Length, false, null);
            default:
                return ("", 0, false, new Problem(field + ".type", RouteReasons.UnsupportedValue, $"unsupported path match type \"{match!.Type}\""));
        }
    }

    private static bool IsHost(string name) => name.Equals("host", StringComparison.OrdinalIgnoreCase);
}
