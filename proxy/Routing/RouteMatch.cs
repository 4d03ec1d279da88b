using System.Text.RegularExpressions;

namespace Gateway.Proxy.Routing;

/// <summary>The route a request matched, the part of the path that matched, and the regex captures.</summary>
public readonly struct RouteMatch
{
    public RouteMatch(CompiledRoute route, string? matchedPath, Match? pathMatch)
    {
        Route = route;
        MatchedPath = matchedPath;
        PathMatch = pathMatch;
    }

    public CompiledRoute Route { get; }

    /// <summary>The matching prefix, or the whole regex match; null when the route has no paths.</summary>
    public string? MatchedPath { get; }

    /// <summary>The regex match of a regex path, holding its numbered and named captures.</summary>
    public Match? PathMatch { get; }

    /// <summary>
    /// A named or numbered ("1", "2", …) capture of the regex path, as plugins refer to it. Numbers follow .NET:
    /// unnamed groups are numbered first, named groups after them.
    /// </summary>
    public string? Capture(string name)
    {
        if (PathMatch is null) return null;
        var group = PathMatch.Groups[name];
        return group.Success ? group.Value : null;
    }
}
