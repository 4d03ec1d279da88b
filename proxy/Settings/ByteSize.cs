using System.Globalization;

namespace Gateway.Proxy.Settings;

/// <summary>A size as nginx and Kong write it: bytes, or a number with a k or m suffix (1024-based): "512k", "10m".</summary>
public static class ByteSize
{
    /// <summary>The size <paramref name="value"/> names (null when unset), at most <paramref name="maximum"/> bytes.</summary>
    public static long? Parse(string variable, string? value, long maximum = long.MaxValue)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var text = value.Trim();
        var multiplier = char.ToLowerInvariant(text[^1]) switch
        {
            'k' => 1024L,
            'm' => 1024L * 1024,
            _ => 1L,
        };
        var digits = multiplier == 1 ? text : text[..^1];
        if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            && number > 0 && number <= maximum / multiplier)
            return number * multiplier;
        var most = maximum == long.MaxValue ? "" : $" up to {maximum.ToString(CultureInfo.InvariantCulture)}";
        throw new SettingsException(
            $"{variable} must be a positive number of bytes{most}, optionally with a k or m suffix, such as 10m (got '{value}')");
    }
}
