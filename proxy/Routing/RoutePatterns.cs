using System.Text.RegularExpressions;

namespace Gateway.Proxy.Routing;

/// <summary>Regular expressions written in routes, compiled once per snapshot and guarded by a timeout.</summary>
public static class RoutePatterns
{
    /// <summary>A pathological pattern must not hold a request (or a core) for long: it just fails to match.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A route path "~/users/(?&lt;id&gt;\d+)" becomes the pattern "^/users/(?&lt;id&gt;\d+)": anchored at the start
    /// only, exactly as Kong prefixes "^" to the text after the '~'.
    /// </summary>
    public static Regex ForPath(string routePath) =>
        new("^" + routePath[1..], RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout);

    public static bool IsRegexPath(string routePath) => routePath.StartsWith('~');

    public static bool IsMatch(Regex pattern, string input)
    {
        try
        {
            return pattern.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    public static Match? Match(Regex pattern, string input)
    {
        try
        {
            var match = pattern.Match(input);
            return match.Success ? match : null;
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }
}
