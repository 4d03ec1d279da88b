using System.Text.RegularExpressions;
using Gateway.Operator.GatewayApi;

namespace Gateway.Operator.Translation.GatewayApi;

/// <summary>One HTTPRoute match as the proxy's route fields say it, with how specific the spec ranks it.</summary>
/// <param name="Queries">Query parameter name to accepted values (the proxy's <c>tollgate_queries</c>).</param>
/// <param name="Specificity">The spec's precedence of the match alone: higher is tried first.</param>
/// <param name="Prefix">The PathPrefix value, for a prefix match.</param>
public sealed record KongMatch(string[] Paths, Dictionary<string, string[]>? Headers, Dictionary<string, string[]>? Queries,
    string[]? Methods, long Specificity, string? Prefix);

/// <summary>
/// Turns a match into Kong route fields. Every path becomes a regex path: Exact is <c>/foo$</c>; PathPrefix is whole
/// segments (<c>/foo</c> matches <c>/foo</c> and <c>/foo/bar</c>, not <c>/foobar</c>; a trailing slash is ignored;
/// the match is the prefix alone, so that strip_path removes just the prefix); RegularExpression is the pattern
/// anchored at the start, as Kong anchors regex paths. Header values match case-sensitively, query parameters by
/// their exact names; values exactly or by the pattern.
/// The spec's precedence of the match is packed into <see cref="KongMatch.Specificity"/>, most significant first:
/// an exact path, the path's length, a method, the number of headers, the number of query parameters (a regular
/// expression path ranks by the length of its pattern, which the spec leaves to implementations).
/// </summary>
public static class RouteMatches
{
    private const int CountBits = 6;
    private const int LengthBits = 11;
    private const long MaxCount = (1 << CountBits) - 1;
    private const long MaxLength = (1 << LengthBits) - 1;

    /// <summary>How many bits <see cref="KongMatch.Specificity"/> takes.</summary>
    public const int SpecificityBits = 1 + LengthBits + 1 + CountBits + CountBits;

    public static (KongMatch? Match, Problem? Problem) Translate(HttpRouteMatch? match, string field)
    {
        var (path, length, exact, pathProblem) = Path(match?.Path, field + ".path");
        if (pathProblem is not null) return (null, pathProblem);

        Dictionary<string, string[]>? headers = null;
        var matchHeaders = match?.Headers ?? [];
        for (var i = 0; i < matchHeaders.Count; i++)
        {
            var header = matchHeaders[i];
            var (value, problem) = Value(header.Type, header.Value, $"{field}.headers[{i}]");
            if (problem is not null) return (null, problem);
            if (IsHost(header.Name))
                return (null, new Problem($"{field}.headers[{i}].name", RouteReasons.UnsupportedValue, "the Host header is matched through hostnames"));
            headers ??= new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            // The spec ignores all but the first match of a header name. "(?-i)" undoes the proxy's case-insensitivity.
            headers.TryAdd(header.Name.ToLowerInvariant(), ["~*(?-i)" + value]);
        }

        Dictionary<string, string[]>? queries = null;
        var matchQueries = match?.QueryParams ?? [];
        for (var i = 0; i < matchQueries.Count; i++)
        {
            var query = matchQueries[i];
            var (value, problem) = Value(query.Type, query.Value, $"{field}.queryParams[{i}]");
            if (problem is not null) return (null, problem);
            if (query.Name.Length == 0)
                return (null, new Problem($"{field}.queryParams[{i}].name", RouteReasons.UnsupportedValue, "a query parameter name cannot be empty"));
            queries ??= new Dictionary<string, string[]>(StringComparer.Ordinal);
            // As with headers, only the first match of a name counts; names compare exactly. An exact value the proxy
            // compares as it is, unless it starts with the '~' that marks a pattern.
            var plain = query.Type is null or "Exact" && !query.Value.StartsWith('~');
            queries.TryAdd(query.Name, [plain ? query.Value : "~" + value]);
        }

        string[]? methods = match?.Method is { } method ? [method.ToUpperInvariant()] : null;
        var specificity = ((exact ? 1L : 0) << (SpecificityBits - 1))
                          | (Math.Min(length, MaxLength) << (1 + 2 * CountBits))
                          | ((methods is null ? 0L : 1) << (2 * CountBits))
                          | (Math.Min(headers?.Count ?? 0, MaxCount) << CountBits)
                          | Math.Min(queries?.Count ?? 0, MaxCount);
        var prefix = (match?.Path?.Type ?? "PathPrefix") == "PathPrefix" ? match?.Path?.Value ?? "/" : null;
        return (new KongMatch([path], headers, queries, methods, specificity, prefix), null);
    }

    // A header's or query parameter's value as a pattern: the value exactly, or the given expression.
    private static (string Pattern, Problem? Problem) Value(string? type, string value, string field)
    {
        switch (type)
        {
            case null or "Exact":
                return ("^" + Regex.Escape(value) + "$", null);
            case "RegularExpression":
                try
                {
                    _ = new Regex(value, RegexOptions.None, TimeSpan.FromSeconds(1));
                    return (value, null);
                }
                catch (ArgumentException e)
                {
                    return ("", new Problem(field + ".value", RouteReasons.UnsupportedValue, $"invalid regular expression \"{value}\": {e.Message}"));
                }
            default:
                return ("", new Problem(field + ".type", RouteReasons.UnsupportedValue, $"unsupported match type \"{type}\""));
        }
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
