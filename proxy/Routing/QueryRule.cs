using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace Gateway.Proxy.Routing;

/// <summary>
/// One entry of a route's <c>tollgate_queries</c>: the request's query string must carry the parameter, under exactly
/// this name, with any of the listed values. Values compare exactly; a value written <c>~regex</c> is a regular
/// expression. Names and values are compared decoded (<c>%XX</c> and <c>+</c>); ASP.NET Core's
/// <see cref="QueryStringEnumerable"/> reads the query in place and copies only what needs decoding.
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
        foreach (var pair in new QueryStringEnumerable(query))
        {
            if (!pair.DecodeName().Span.SequenceEqual(Name)) continue;
            if (ValueMatches(pair.DecodeValue())) return true;
        }
        return false;
    }

    private bool ValueMatches(ReadOnlyMemory<char> value)
    {
        foreach (var accepted in _values)
            if (value.Span.SequenceEqual(accepted)) return true;
        if (_patterns.Length == 0) return false;
        var text = value.ToString();
        foreach (var pattern in _patterns)
            if (RoutePatterns.IsMatch(pattern, text)) return true;
        return false;
    }
}
