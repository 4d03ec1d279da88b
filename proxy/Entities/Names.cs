using System.Text.RegularExpressions;

namespace Gateway.Proxy.Entities;

/// <summary>Field rules for names, hosts, paths and tags, with Kong's wording.</summary>
public static partial class Names
{
    [GeneratedRegex("^[0-9a-zA-Z.\\-_~]+$")]
    private static partial Regex NameRegex();

    [GeneratedRegex("^(?=.{1,253}$)([a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)(\\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)*$")]
    private static partial Regex HostnameRegex();

    public static string? CheckName(string value) =>
        NameRegex().IsMatch(value)
            ? null
            : "invalid value '" + value + "': it must only contain alphanumeric and '., -, _, ~' characters";

    public static string? CheckTag(string value)
    {
        if (value.Length == 0) return "invalid tag '': must not be empty";
        foreach (var c in value)
        {
            if (c == ',' || c == '/' || char.IsControl(c))
                return $"invalid tag '{value}': expected printable ascii (except `,` and `/`) or valid utf-8 sequences";
        }
        return null;
    }

    /// <summary>A plain hostname or IP address, as a service or upstream host.</summary>
    public static string? CheckHost(string value) =>
        IsHostOrIp(value) ? null : $"invalid hostname: {value}";

    /// <summary>A route host: a hostname with an optional port, with at most one wildcard at either end.</summary>
    public static string? CheckRouteHost(string value)
    {
        var host = value;
        var colon = host.LastIndexOf(':');
        if (colon > 0 && !host.Contains(']') && host.IndexOf(':') == colon)
        {
            if (!int.TryParse(host[(colon + 1)..], out var port) || port is < 1 or > 65535)
                return $"invalid port number: {value}";
            host = host[..colon];
        }
        var wildcards = host.Count(c => c == '*');
        if (wildcards > 1) return "only one wildcard must be specified";
        if (wildcards == 1)
        {
            if (host.StartsWith("*.", StringComparison.Ordinal)) host = host[2..];
            else if (host.EndsWith(".*", StringComparison.Ordinal)) host = host[..^2];
            else return "wildcard must be leftmost or rightmost character";
        }
        return IsHostOrIp(host) ? null : $"invalid hostname: {value}";
    }

    /// <summary>An SNI: a hostname whose leftmost label may be a wildcard.</summary>
    public static string? CheckSni(string value)
    {
        var host = value.StartsWith("*.", StringComparison.Ordinal) ? value[2..] : value;
        if (host.Contains('*')) return "wildcard must be leftmost character";
        if (System.Net.IPAddress.TryParse(host, out _)) return "must not be an IP";
        return HostnameRegex().IsMatch(host) ? null : $"invalid hostname: {value}";
    }

    /// <summary>A service path: absolute, no query or fragment.</summary>
    public static string? CheckServicePath(string value)
    {
        if (!value.StartsWith('/')) return "should start with: /";
        if (value.Contains('?') || value.Contains('#')) return "must not contain a query string or fragment";
        return null;
    }

    /// <summary>A route path: a prefix starting with '/', or a regular expression written '~/…'.</summary>
    public static string? CheckRoutePath(string value)
    {
        if (value.StartsWith("~/", StringComparison.Ordinal)) return CheckRegex(value[1..]);
        if (!value.StartsWith('/')) return "should start with: / (fixed path) or ~/ (regex path)";
        if (value.Contains('?') || value.Contains('#')) return "must not contain a query string or fragment";
        return null;
    }

    /// <summary>A regular expression of a route: one .NET can compile.</summary>
    public static string? CheckRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            return null;
        }
        catch (ArgumentException e)
        {
            return $"invalid regex: '{pattern}' ({e.Message})";
        }
    }

    /// <summary>An upstream target: host or IP with an optional port ("10.0.0.1:8080", "[::1]:80", "svc").</summary>
    public static string? CheckTarget(string value) =>
        TargetAddress.TryParse(value, out _) ? null : $"Invalid target ('{value}'); not a valid hostname or ip address";

    public static bool IsHostOrIp(string value) =>
        System.Net.IPAddress.TryParse(value.Trim('[', ']'), out _) || HostnameRegex().IsMatch(value);
}
