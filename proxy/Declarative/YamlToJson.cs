using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Gateway.Proxy.Declarative;

/// <summary>
/// Converts a YAML node tree to JSON nodes, resolving plain scalars with the YAML 1.2 core schema:
/// unquoted <c>true</c> and <c>123</c> become a boolean and a number, <c>~</c>/<c>null</c>/nothing become null,
/// and anything quoted stays a string. Explicit tags (<c>!!str 123</c>) win over the plain-scalar rules.
/// </summary>
internal sealed class YamlToJson
{
    // Aliases can repeat a subtree many times; bound the output so a small file cannot expand without limit.
    private const int MaxNodes = 2_000_000;

    private int _nodes;

    public DeclarativeError? Error { get; private set; }

    public JsonNode? Convert(YamlNode node)
    {
        if (Error is not null) return null;
        if (++_nodes > MaxNodes)
        {
            Error = DocumentReader.YamlError(node.Start, "the document expands to too many values (are aliases nested?)");
            return null;
        }
        return node switch
        {
            YamlMappingNode mapping => ConvertMapping(mapping),
            YamlSequenceNode sequence => ConvertSequence(sequence),
            YamlScalarNode scalar => ConvertScalar(scalar),
            _ => Fail(node, "unsupported YAML node"),
        };
    }

    private JsonNode? ConvertMapping(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key }) return Fail(keyNode, "mapping keys must be plain values");
            if (result.ContainsKey(key)) return Fail(keyNode, $"duplicate key '{key}'");
            var value = Convert(valueNode);
            if (Error is not null) return null;
            result[key] = value;
        }
        return result;
    }

    private JsonNode? ConvertSequence(YamlSequenceNode sequence)
    {
        var result = new JsonArray();
        foreach (var item in sequence.Children)
        {
            var value = Convert(item);
            if (Error is not null) return null;
            result.Add(value);
        }
        return result;
    }

    private JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific) return ConvertTagged(scalar, scalar.Tag.Value, text);
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain || scalar.Tag.IsNonSpecific) return JsonValue.Create(text);
        return YamlScalars.ResolvePlain(text);
    }

    private JsonNode? ConvertTagged(YamlScalarNode scalar, string tag, string text)
    {
        const string core = "tag:yaml.org,2002:";
        switch (tag)
        {
            case core + "str":
                return JsonValue.Create(text);
            case core + "null":
                return null;
            case core + "bool":
                return YamlScalars.ResolvePlain(text) is JsonValue b && b.TryGetValue<bool>(out _) ? b : Fail(scalar, $"'{text}' is not a boolean");
            case core + "int":
                return YamlScalars.ParseInteger(text) is { } i ? i : Fail(scalar, $"'{text}' is not an integer");
            case core + "float":
                return YamlScalars.ParseNumber(text) ?? Fail(scalar, $"'{text}' is not a number");
            default:
                return Fail(scalar, $"unsupported tag '{tag}'");
        }
    }

    private JsonNode? Fail(YamlNode node, string message)
    {
        Error ??= DocumentReader.YamlError(node.Start, message);
        return null;
    }
}

/// <summary>The YAML 1.2 core schema for plain scalars, used both to read and to decide when to quote on write.</summary>
internal static class YamlScalars
{
    public static JsonNode? ResolvePlain(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        return ParseInteger(text) ?? ParseNumber(text) ?? JsonValue.Create(text);
    }

    /// <summary>
    /// True when <paramref name="text"/> written unquoted would read back as something other than that string,
    /// here or in a YAML 1.1 reader (where yes/no/on/off are booleans).
    /// </summary>
    public static bool NeedsQuotes(string text) =>
        ResolvePlain(text) is not JsonValue value || !value.TryGetValue<string>(out var s) || s != text
        || Yaml11Booleans.Contains(text);

    private static readonly HashSet<string> Yaml11Booleans = new(StringComparer.OrdinalIgnoreCase)
        { "y", "n", "yes", "no", "on", "off" };

    public static JsonNode? ParseInteger(string text)
    {
        if (text.Length == 0) return null;
        if (text.StartsWith("0x", StringComparison.Ordinal))
            return long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) && IsHex(text[2..])
                ? Number(hex.ToString(CultureInfo.InvariantCulture))
                : null;
        if (text.StartsWith("0o", StringComparison.Ordinal))
        {
            try
            {
                return text.Length > 2 && text[2..].All(c => c is >= '0' and <= '7')
                    ? Number(System.Convert.ToInt64(text[2..], 8).ToString(CultureInfo.InvariantCulture))
                    : null;
            }
            catch (OverflowException)
            {
                return null;
            }
        }
        var digits = text[0] is '+' or '-' ? text[1..] : text;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)) return null;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? Number(value.ToString(CultureInfo.InvariantCulture))
            : ParseNumber(text);
    }

    /// <summary>A decimal or exponent number (<c>1.5</c>, <c>-2e3</c>, <c>.5</c>). Infinity and NaN stay strings: JSON has no such numbers.</summary>
    public static JsonNode? ParseNumber(string text)
    {
        if (!LooksNumeric(text)) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? Number(value.ToString("R", CultureInfo.InvariantCulture))
            : null;
    }

    private static bool LooksNumeric(string text)
    {
        // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        var i = 0;
        if (i < text.Length && text[i] is '+' or '-') i++;
        var mantissaDigits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i])) { i++; mantissaDigits++; }
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i])) { i++; mantissaDigits++; }
        }
        if (mantissaDigits == 0) return false;
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-') i++;
            var exponentDigits = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i])) { i++; exponentDigits++; }
            if (exponentDigits == 0) return false;
        }
        return i == text.Length;
    }

    private static bool IsHex(string digits) => digits.Length > 0 && digits.All(char.IsAsciiHexDigit);

    // Numbers parsed from their JSON text convert to every numeric type the schema asks for.
    private static JsonNode Number(string jsonText) => JsonNode.Parse(jsonText)!;
}
