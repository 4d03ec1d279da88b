using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Operator.Translation;

/// <summary>
/// Reads the annotations of one object. Each setting has our name (<c>tollgate.dev/strip-path</c>) and the spellings
/// Kong Ingress Controller users already write (<c>konghq.com/strip-path</c>); ours wins when both are set. A value
/// that does not parse is a problem naming the annotation as it was written.
/// </summary>
internal sealed partial class AnnotationReader(IDictionary<string, string>? annotations, List<Problem> problems)
{
    public static string[] Spellings(string setting) => ["tollgate.dev/" + setting, "konghq.com/" + setting];

    public bool? Bool(string[] keys) => Read(keys, "expected \"true\" or \"false\"", text =>
        bool.TryParse(text.Trim(), out var value) ? value : (bool?)null);

    public int? Int(string[] keys, int min, int max) => Read(keys, $"expected a whole number from {min} to {max}", text =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : (int?)null);

    public int? OneOf(string[] keys, int[] allowed) => Read(keys, "expected one of " + string.Join(", ", allowed), text =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && allowed.Contains(value)
            ? value
            : (int?)null);

    /// <summary>A comma-separated list whose items each pass <paramref name="normalise"/> (null refuses an item).</summary>
    public string[]? List(string[] keys, string expected, Func<string, string?> normalise) => Read(keys, expected, text =>
    {
        var items = new List<string>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (normalise(part) is not { } item) return null;
            if (!items.Contains(item)) items.Add(item);
        }
        return items.Count == 0 ? null : items.ToArray();
    });

    public string? Text(string[] keys, string expected, Func<string, bool> isValid) => Read(keys, expected, text =>
        isValid(text.Trim()) ? text.Trim() : null);

    private T? Read<T>(string[] keys, string expected, Func<string, T?> parse)
    {
        foreach (var key in keys)
        {
            if (annotations is null || !annotations.TryGetValue(key, out var text)) continue;
            var value = parse(text);
            if (value is null)
                problems.Add(new Problem($"metadata.annotations[{key}]", ProblemReasons.InvalidAnnotation, $"invalid value \"{text}\": {expected}"));
            return value;
        }
        return default;
    }

    /// <summary>A hostname as Kong accepts it in a host field.</summary>
    public static bool IsHostname(string value) => Hostname().IsMatch(value);

    [GeneratedRegex("^(?=.{1,253}$)[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?(\\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)*$")]
    private static partial Regex Hostname();
}
