using System.Text.RegularExpressions;

namespace Gateway.Proxy.Plugins.Cors;

/// <summary>
/// The origins a cors configuration allows, compiled once: '*', exact origins (compared without case and without a
/// default port), and regular expressions matched against the whole origin.
/// </summary>
public sealed class CorsOrigins
{
    private readonly HashSet<string> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Regex> _patterns = [];

    public CorsOrigins(string[] origins)
    {
        AllowsAny = origins.Length == 0;
        foreach (var origin in origins)
        {
            if (origin == "*") AllowsAny = true;
            else if (IsPattern(origin)) _patterns.Add(Compile(origin));
            else _exact.Add(Normalize(origin));
        }
    }

    /// <summary>'*' is configured, or no origin at all (Kong allows every origin then).</summary>
    public bool AllowsAny { get; private set; }

    public bool Allows(string origin)
    {
        if (AllowsAny || _exact.Contains(Normalize(origin))) return true;
        foreach (var pattern in _patterns)
            if (pattern.IsMatch(origin)) return true;
        return false;
    }

    /// <summary>Schema rule: a pattern must be a valid regular expression.</summary>
    public static string? Check(string origin)
    {
        if (origin.Length == 0) return "an origin must not be empty";
        if (!IsPattern(origin)) return null;
        try
        {
            Compile(origin);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"invalid regex '{origin}': {e.Message}";
        }
    }

    private static bool IsPattern(string origin) => origin.AsSpan().IndexOfAny("^$*+?()[]{}|\\") >= 0;

    private static Regex Compile(string pattern) =>
        new("^(?:" + pattern + ")$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));

    private static string Normalize(string origin)
    {
        var trimmed = origin.TrimEnd('/');
        if (trimmed.EndsWith(":443", StringComparison.Ordinal) && trimmed.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return trimmed[..^4];
        if (trimmed.EndsWith(":80", StringComparison.Ordinal) && trimmed.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            return trimmed[..^3];
        return trimmed;
    }
}
