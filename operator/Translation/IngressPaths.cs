using System.Text.RegularExpressions;

namespace Gateway.Operator.Translation;

/// <summary>
/// An Ingress path and its pathType as Kong route paths. Kong matches a plain path as a character prefix
/// (<c>/foo</c> also matches <c>/foobar</c>), so Exact and Prefix become anchored regular expressions, as Kong Ingress
/// Controller writes them: Exact <c>/foo</c> is <c>~/foo$</c>; Prefix <c>/foo</c> matches whole segments, as
/// <c>~/foo$</c> (the path itself) and <c>/foo/</c> (anything below it). ImplementationSpecific is Kong's own
/// matching: a plain prefix, or a regular expression when written with a leading <c>/~</c> (Kong Ingress Controller's
/// spelling, which the API server's "absolute path" rule admits) or <c>~</c>.
/// </summary>
public static class IngressPaths
{
    public const string Exact = "Exact";
    public const string Prefix = "Prefix";
    public const string ImplementationSpecific = "ImplementationSpecific";

    /// <summary>The Kong paths, or the reason the path cannot be one.</summary>
    public static (string[]? Paths, string? Error) ToKong(string? path, string? pathType)
    {
        path = string.IsNullOrEmpty(path) ? "/" : path;
        switch (pathType ?? ImplementationSpecific)
        {
            case Exact:
                return Plain(path, () => ["~" + Regex.Escape(path) + "$"]);
            case Prefix:
                var trimmed = path.TrimEnd('/');
                if (trimmed.Length == 0) return Plain(path, () => ["/"]);
                return Plain(path, () => ["~" + Regex.Escape(trimmed) + "$", trimmed + "/"]);
            case ImplementationSpecific:
                if (path.StartsWith("/~", StringComparison.Ordinal)) return RegexPath(path[1..]);
                if (path.StartsWith('~')) return RegexPath(path);
                return Plain(path, () => [path]);
            default:
                return (null, $"unsupported pathType \"{pathType}\": expected Exact, Prefix or ImplementationSpecific");
        }
    }

    private static (string[]?, string?) Plain(string path, Func<string[]> paths)
    {
        if (!path.StartsWith('/')) return (null, $"invalid path \"{path}\": must start with /");
        if (path.Contains('?') || path.Contains('#')) return (null, $"invalid path \"{path}\": must not contain a query string or fragment");
        return (paths(), null);
    }

    /// <summary>A Kong regex path: <c>~/…</c>, checked with the proxy's regular expression engine.</summary>
    private static (string[]?, string?) RegexPath(string kongPath)
    {
        if (!kongPath.StartsWith("~/", StringComparison.Ordinal))
            return (null, $"invalid regex \"{kongPath}\": a regex path is written ~/… (or /~/… in an Ingress)");
        try
        {
            _ = new Regex(kongPath[1..], RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            return (null, $"invalid regex \"{kongPath}\": {e.Message}");
        }
        return ([kongPath], null);
    }
}
