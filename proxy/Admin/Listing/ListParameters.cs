using System.Globalization;
using Gateway.Proxy.Admin.Http;

namespace Gateway.Proxy.Admin.Listing;

/// <summary>The paging and filtering options of a listing request: <c>size</c>, <c>offset</c> and <c>tags</c>.</summary>
public sealed record ListParameters(int Size, string? Offset, IReadOnlyList<string>? Tags, bool AnyTag)
{
    public const int DefaultSize = 100;
    public const int MaxSize = 1000;
    public const int MaxTags = 5;

    /// <summary>Reads the raw query values, answering with Kong's error bodies when they are invalid.</summary>
    public static ListParameters Parse(string? size, string? offset, string? tags) =>
        new(ParseSize(size), string.IsNullOrEmpty(offset) ? null : offset, ParseTags(tags, out var any), any);

    private static int ParseSize(string? text)
    {
        if (text is null) return DefaultSize;
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var size))
            throw KongErrors.InvalidSize("size must be a number");
        if (size != Math.Floor(size) || size < 1 || size > MaxSize)
            throw KongErrors.InvalidSize($"size must be an integer between 1 and {MaxSize}");
        return (int)size;
    }

    /// <summary><c>a,b</c> means tagged a and b; <c>a/b</c> means tagged a or b; a mix of both is refused.</summary>
    private static IReadOnlyList<string>? ParseTags(string? text, out bool any)
    {
        any = false;
        if (text is null) return null;
        var hasComma = text.Contains(',');
        var hasSlash = text.Contains('/');
        if (text.Length == 0 || (hasComma && hasSlash) || !AllTagCharacters(text))
            throw KongErrors.InvalidOption("tags", "must be a table");
        any = hasSlash;
        var tags = text.Split(hasSlash ? '/' : ',', StringSplitOptions.RemoveEmptyEntries);
        if (tags.Length == 0) throw KongErrors.InvalidOption("tags", "must be a table");
        if (tags.Length > MaxTags) throw KongErrors.InvalidOption("tags", $"cannot query more than {MaxTags} tags");
        return tags;
    }

    // Printable ASCII and any non-ASCII character; the separators are checked separately.
    private static bool AllTagCharacters(string text)
    {
        foreach (var c in text)
            if (c < 0x20 || c == 0x7F) return false;
        return true;
    }
}
