using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;

namespace Gateway.Proxy.Routing;

/// <summary>
/// One entry of a route's <c>headers</c>: the request must carry the header with any of the listed values.
/// Values compare case-insensitively; a value written <c>~*regex</c> is a case-insensitive regular expression.
/// </summary>
public sealed class HeaderRule
{
    private readonly string[] _values;
    private readonly Regex[] _patterns;

    private HeaderRule(string name, string[] values, Regex[] patterns)
    {
        Name = name;
        _values = values;
        _patterns = patterns;
    }

    public string Name { get; }

    public static HeaderRule Create(string name, string[] accepted)
    {
        var values = new List<string>();
        var patterns = new List<Regex>();
        foreach (var value in accepted)
        {
            if (value.StartsWith("~*", StringComparison.Ordinal))
                patterns.Add(RoutePatterns.ForHeaderValue(value[2..]));
            else
                values.Add(value);
        }
        return new HeaderRule(name, values.ToArray(), patterns.ToArray());
    }

    public bool Matches(StringValues received)
    {
        for (var i = 0; i < received.Count; i++)
        {
            var value = received[i];
            if (value is null) continue;
            foreach (var accepted in _values)
                if (value.Equals(accepted, StringComparison.OrdinalIgnoreCase)) return true;
            foreach (var pattern in _patterns)
                if (RoutePatterns.IsMatch(pattern, value)) return true;
        }
        return false;
    }
}
