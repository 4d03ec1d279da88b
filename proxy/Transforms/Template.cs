using System.Text;
using System.Text.RegularExpressions;
using Gateway.Proxy.PluginEngine;

namespace Gateway.Proxy.Transforms;

/// <summary>
/// A configured value that may take parts of the request, as Kong's transformer templates do:
/// <c>$(headers.x-name)</c>, <c>$(headers["x-name"])</c>, <c>$(query_params.page)</c>, <c>$(uri_captures.id)</c>.
/// Parsed once per handler; a value without placeholders costs nothing per request. A missing value renders empty.
/// </summary>
public sealed partial class Template
{
    [GeneratedRegex("""\$\((headers|query_params|uri_captures)(?:\.([A-Za-z0-9_\-]+)|\["([^"\]]+)"\])\)""")]
    private static partial Regex Placeholder();

    private readonly Part[] _parts;

    private Template(string text, Part[] parts)
    {
        Text = text;
        _parts = parts;
    }

    /// <summary>The value as configured.</summary>
    public string Text { get; }

    public bool IsConstant => _parts.Length == 1 && _parts[0].Source is null;

    public static Template Parse(string text)
    {
        var parts = new List<Part>();
        var at = 0;
        foreach (Match match in Placeholder().Matches(text))
        {
            if (match.Index > at) parts.Add(new Part(null, text[at..match.Index]));
            var name = match.Groups[2].Success ? match.Groups[2].Value : match.Groups[3].Value;
            parts.Add(new Part(match.Groups[1].Value, name));
            at = match.Index + match.Length;
        }
        if (at < text.Length || parts.Count == 0) parts.Add(new Part(null, text[at..]));
        return new Template(text, parts.ToArray());
    }

    /// <summary>Schema rule: "$(" must start a placeholder this gateway knows.</summary>
    public static string? Check(string text)
    {
        var remainder = Placeholder().Replace(text, "");
        return remainder.Contains("$(", StringComparison.Ordinal)
            ? $"invalid template '{text}': use $(headers.NAME), $(query_params.NAME) or $(uri_captures.NAME)"
            : null;
    }

    public string Render(PluginContext context)
    {
        if (IsConstant) return Text;
        var builder = new StringBuilder();
        foreach (var part in _parts) builder.Append(part.Source is null ? part.Value : Lookup(context, part.Source, part.Value));
        return builder.ToString();
    }

    private static string Lookup(PluginContext context, string source, string name) => source switch
    {
        "headers" => context.Http.Request.Headers[name].ToString(),
        "query_params" => context.Http.Request.Query[name].ToString(),
        _ => context.Exchange.Match.Capture(name) ?? "",
    };

    /// <summary>Literal text (Source null) or a placeholder (Source = headers, query_params or uri_captures).</summary>
    private readonly record struct Part(string? Source, string Value);
}
