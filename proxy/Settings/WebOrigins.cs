namespace Gateway.Proxy.Settings;

/// <summary>
/// A comma-separated list of web origins ("https://admin.example.com, http://localhost:3000"), each written as a
/// browser writes the Origin header: scheme, host and optional port, no path. Kept in the browser's own form
/// (lower case, default port left out, international names in punycode) so a request's Origin is compared exactly.
/// </summary>
public static class WebOrigins
{
    public static IReadOnlyList<string> Parse(string variable, string? value)
    {
        var origins = new List<string>();
        foreach (var entry in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var origin = Normalise(entry) ?? throw new SettingsException(
                $"{variable} must list origins written scheme://host[:port] with scheme http or https and no path, separated by commas (got '{entry}')");
            if (!origins.Contains(origin)) origins.Add(origin);
        }
        return origins;
    }

    /// <summary>The origin as a browser serialises it, or null when <paramref name="entry"/> is not one.</summary>
    public static string? Normalise(string entry)
    {
        var separator = entry.IndexOf("://", StringComparison.Ordinal);
        // Anything after the authority (a path, even "/", a query, user info) means this is a URL, not an origin.
        if (separator < 0 || entry.AsSpan(separator + 3).IndexOfAny("/?#@\\") >= 0) return null;
        if (!Uri.TryCreate(entry, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            return null;
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
        return uri.IsDefaultPort ? $"{uri.Scheme}://{host}" : $"{uri.Scheme}://{host}:{uri.Port}";
    }
}
