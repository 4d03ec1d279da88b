using System.Text;

namespace Gateway.Adversarial.Judging;

/// <summary>
/// How upstreams may read a request path they receive. Servers differ: some use the path as sent, some
/// percent-decode it (repeatedly, or leniently, taking overlong UTF-8 such as <c>%c0%af</c> for <c>/</c>), treat
/// <c>\</c> as <c>/</c>, merge repeated slashes before or after removing dot segments. A path is dangerous when
/// any of these readings falls under a guarded prefix. Matching is case-sensitive, as Kong's path matching is:
/// an upstream that folds case needs a case-insensitive regex route to guard it. Matrix parameters (<c>;x</c>)
/// are not a reading: RFC 3986 gives them no meaning, and a path with them is no path under the prefix.
/// </summary>
public static class PathReadings
{
    private const int MaxDecodingRounds = 8;

    /// <summary>The readings of <paramref name="target"/> (a request target as received: origin or absolute form).</summary>
    public static IReadOnlyList<string> Of(string target)
    {
        var path = PathOf(target);
        var readings = new List<string>();
        foreach (var form in new[] { path, FullyDecoded(path) })
        {
            var slashed = form.Replace('\\', '/');
            foreach (var candidate in new[] { form, slashed })
            {
                readings.Add(RemoveDotSegments(MergeSlashes(candidate)));
                readings.Add(MergeSlashes(RemoveDotSegments(candidate)));
            }
        }
        return readings.Distinct().ToArray();
    }

    /// <summary>Whether any reading of <paramref name="target"/> starts with <paramref name="prefix"/> (Kong's prefix match).</summary>
    public static bool ReachesPrefix(string target, string prefix) =>
        Of(target).Any(r => r.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The path of a request target: up to '?' or '#'; after the authority of an absolute-form target.</summary>
    public static string PathOf(string target)
    {
        var path = target;
        var scheme = path.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && path[..scheme].All(char.IsAsciiLetter))
        {
            var slash = path.IndexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path[slash..];
        }
        var end = path.IndexOfAny(['?', '#']);
        return end < 0 ? path : path[..end];
    }

    /// <summary>Percent-decoding repeated until nothing changes (so %252f becomes /), bytes read as lenient UTF-8.</summary>
    public static string FullyDecoded(string path)
    {
        var current = path;
        for (var round = 0; round < MaxDecodingRounds; round++)
        {
            var next = LenientUtf8(PercentDecode(current));
            if (next == current) break;
            current = next;
        }
        return current;
    }

    /// <summary>RFC 3986 section 5.2.4: "." and ".." segments removed.</summary>
    public static string RemoveDotSegments(string path)
    {
        var output = new List<string>();
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            if (segment == ".")
            {
                if (last) output.Add("");
                continue;
            }
            if (segment == "..")
            {
                if (output.Count > 1) output.RemoveAt(output.Count - 1);
                if (last) output.Add("");
                continue;
            }
            output.Add(segment);
        }
        var result = string.Join('/', output);
        return path.StartsWith('/') && !result.StartsWith('/') ? "/" + result : result;
    }

    public static string MergeSlashes(string path)
    {
        var text = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            if (c == '/' && text.Length > 0 && text[^1] == '/') continue;
            text.Append(c);
        }
        return text.ToString();
    }

    // Chars up to 0xFF stand for one byte each (request targets are byte strings); invalid escapes stay as they are.
    private static byte[] PercentDecode(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c <= 0xFF)
            {
                bytes.Add((byte)c);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }
        return [.. bytes];
    }

    /// <summary>UTF-8 as a lenient decoder reads it: overlong forms give their code point, invalid bytes stand for themselves.</summary>
    private static string LenientUtf8(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b >= 0xC0 && b < 0xE0 && i + 1 < bytes.Length && IsContinuation(bytes[i + 1]))
            {
                text.Append((char)(((b & 0x1F) << 6) | (bytes[i + 1] & 0x3F)));
                i += 1;
            }
            else if (b >= 0xE0 && b < 0xF0 && i + 2 < bytes.Length && IsContinuation(bytes[i + 1]) && IsContinuation(bytes[i + 2]))
            {
                text.Append((char)(((b & 0x0F) << 12) | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F)));
                i += 2;
            }
            else if (b >= 0xF0 && b < 0xF8 && i + 3 < bytes.Length && IsContinuation(bytes[i + 1]) && IsContinuation(bytes[i + 2]) && IsContinuation(bytes[i + 3]))
            {
                var codePoint = ((b & 0x07) << 18) | ((bytes[i + 1] & 0x3F) << 12) | ((bytes[i + 2] & 0x3F) << 6) | (bytes[i + 3] & 0x3F);
                text.Append(Rune.IsValid(codePoint) ? new Rune(codePoint).ToString() : "\uFFFD");
                i += 3;
            }
            else
            {
                text.Append((char)b);
            }
        }
        return text.ToString();
    }

    private static bool IsContinuation(byte b) => (b & 0xC0) == 0x80;

}
