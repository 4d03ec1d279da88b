using System.Text.RegularExpressions;

namespace Gateway.Proxy.Routing;

/// <summary>
/// One entry of a route's <c>tollgate_queries</c>: the request's query string must carry the parameter, under exactly
/// this name, with any of the listed values. Values compare exactly; a value written <c>~regex</c> is a regular
/// expression. Names and values are compared decoded (<c>%XX</c> and <c>+</c>); the query is read in place, and only
/// an encoded name or value, or one tested by a pattern, is copied.
/// </summary>
public sealed class QueryRule
{
    private readonly string[] _values;
    private readonly Regex[] _patterns;

    private QueryRule(string name, string[] values, Regex[] patterns)
    {
        Name = name;
        _values = values;
        _patterns = patterns;
    }

    public string Name { get; }

    public static QueryRule Create(string name, string[] accepted)
    {
        var values = new List<string>();
        var patterns = new List<Regex>();
        foreach (var value in accepted)
        {
            if (value.StartsWith('~')) patterns.Add(RoutePatterns.Create(value[1..], RegexOptions.CultureInvariant));
            else values.Add(value);
        }
        return new QueryRule(name, values.ToArray(), patterns.ToArray());
    }

    /// <param name="query">The query string as received, with or without its leading '?'.</param>
    public bool Matches(string? query)
    {
        var rest = query.AsSpan();
        if (rest.StartsWith("?")) rest = rest[1..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf('&');
            var pair = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];
            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            if (!Equal(name, Name)) continue;
            if (ValueMatches(equals < 0 ? default : pair[(equals + 1)..])) return true;
        }
        return false;
    }

    private bool ValueMatches(ReadOnlySpan<char> raw)
    {
        var encoded = IsEncoded(raw);
        if (!encoded && _patterns.Length == 0)
        {
            foreach (var accepted in _values)
                if (raw.SequenceEqual(accepted)) return true;
            return false;
        }
        var value = encoded ? Decode(raw) : raw.ToString();
        foreach (var accepted in _values)
            if (value == accepted) return true;
        foreach (var pattern in _patterns)
            if (RoutePatterns.IsMatch(pattern, value)) return true;
        return false;
    }

    private static bool Equal(ReadOnlySpan<char> raw, string name) =>
        IsEncoded(raw) ? Decode(raw) == name : raw.SequenceEqual(name);

    private static bool IsEncoded(ReadOnlySpan<char> raw) => raw.IndexOfAny('%', '+') >= 0;

    private static string Decode(ReadOnlySpan<char> raw) => Uri.UnescapeDataString(raw.ToString().Replace('+', ' '));
}
