namespace Gateway.Proxy.Transforms;

/// <summary>A "name:value" entry of a transformer's configuration, split once when the handler is built.</summary>
public readonly record struct NameValue(string Name, Template Value)
{
    /// <summary>Splits at the first colon; the value may contain more colons (URLs, times).</summary>
    public static NameValue Parse(string entry)
    {
        var colon = entry.IndexOf(':');
        return new NameValue(entry[..colon].Trim(), Template.Parse(entry[(colon + 1)..]));
    }

    public static NameValue[] ParseAll(string[] entries) => Array.ConvertAll(entries, Parse);

    /// <summary>Schema rule for "name:value" entries.</summary>
    public static string? CheckEntry(string entry)
    {
        var colon = entry.IndexOf(':');
        if (colon <= 0 || entry[..colon].Trim().Length == 0) return $"invalid value '{entry}': expected 'name:value'";
        return Template.Check(entry[(colon + 1)..]);
    }

    /// <summary>Schema rule for a plain name (remove lists).</summary>
    public static string? CheckName(string name) =>
        name.Trim().Length == 0 || name.Contains(':') ? $"invalid name '{name}': expected a name without ':'" : null;
}
