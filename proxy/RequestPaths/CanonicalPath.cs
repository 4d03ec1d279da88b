using System.Buffers;
using System.Text;

namespace Gateway.Proxy.RequestPaths;

/// <summary>
/// The one form of a request path that routing, plugins and the upstream all see (RFC 3986 section 6):
/// percent-encoded unreserved characters decoded, other escapes kept with upper-case hex, characters that may not
/// stand in a path percent-encoded (as UTF-8), "." and ".." segments removed, repeated slashes merged.
/// <para>
/// A gateway that matched one spelling of a path and forwarded another would let <c>//admin</c>, <c>/%2e%2e/admin</c>
/// or <c>/public/..%2Fadmin</c> past the plugins guarding <c>/admin</c> to an upstream that reads them as
/// <c>/admin</c>. So paths that upstreams disagree about are refused instead of guessed (see
/// <see cref="PathRefusal"/>); only encoded slashes can be allowed, per route, and they are then kept encoded.
/// </para>
/// Hand-written because neither ASP.NET Core (which decodes everything but %2F and keeps no trace of what was
/// escaped) nor System.Uri (which rewrites backslashes and escapes on its own terms) gives this form.
/// </summary>
public static class CanonicalPath
{
    // Characters that may stand unescaped in a canonical path: unreserved, sub-delims, ':', '@' and '/'.
    // ';' is left out of the quick check only: segments with parameters take the careful path.
    private static readonly SearchValues<char> QuickChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,=:@/");

    /// <summary>
    /// True when <paramref name="path"/> is already canonical and plain: nothing to decode, merge or remove, no
    /// parameters. This is nearly every request, and costs a scan and no allocation.
    /// </summary>
    public static bool IsCanonical(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty || path[0] != '/' || path.IndexOfAnyExcept(QuickChars) >= 0 || path.Contains("//", StringComparison.Ordinal))
            return false;
        for (var at = path.IndexOf("/.", StringComparison.Ordinal); at >= 0; at = NextDotSlash(path, at))
        {
            var next = at + 2;
            if (next == path.Length || path[next] == '/') return false;
            if (path[next] == '.' && (next + 1 == path.Length || path[next + 1] == '/')) return false;
        }
        return true;
    }

    private static int NextDotSlash(ReadOnlySpan<char> path, int previous)
    {
        var found = path[(previous + 2)..].IndexOf("/.", StringComparison.Ordinal);
        return found < 0 ? -1 : found + previous + 2;
    }

    /// <summary>
    /// The canonical form of a path that starts with '/'. Encoded slashes are kept as %2F and %5C and reported
    /// in <paramref name="hasEncodedSlash"/>; the caller decides whether the route allows them.
    /// </summary>
    public static PathRefusal Canonicalize(ReadOnlySpan<char> path, out string canonical, out bool hasEncodedSlash)
    {
        canonical = "/";
        hasEncodedSlash = false;
        if (path.IsEmpty || path[0] != '/') return PathRefusal.NotAPath;
        if (IsCanonical(path))
        {
            canonical = path.ToString();
            return PathRefusal.None;
        }

        // A UTF-16 unit becomes at most three UTF-8 bytes, and a byte at most three characters ("%XX").
        var bytes = ArrayPool<byte>.Shared.Rent(path.Length * 3);
        var escaped = ArrayPool<bool>.Shared.Rent(path.Length * 3);
        var text = ArrayPool<char>.Shared.Rent(path.Length * 9 + 1);
        try
        {
            var output = new StringBuilder(path.Length);
            var starts = new List<int>();
            var trailingSlash = false;
            var rest = path[1..];
            while (true)
            {
                var end = rest.IndexOf('/');
                var last = end < 0;
                var raw = last ? rest : rest[..end];

                var refusal = Decode(raw, bytes, escaped, out var count, out var dotEscaped, out var slashEscaped);
                if (refusal != PathRefusal.None) return refusal;
                var segment = text.AsSpan(0, Encode(bytes.AsSpan(0, count), escaped.AsSpan(0, count), text));
                refusal = Check(segment, dotEscaped, slashEscaped);
                if (refusal != PathRefusal.None) return refusal;
                hasEncodedSlash |= slashEscaped;

                if (segment.IsEmpty || segment is ".")
                {
                    trailingSlash = last;
                }
                else if (segment is "..")
                {
                    if (starts.Count > 0)
                    {
                        output.Length = starts[^1];
                        starts.RemoveAt(starts.Count - 1);
                    }
                    trailingSlash = last;
                }
                else
                {
                    starts.Add(output.Length);
                    output.Append('/').Append(segment);
                    trailingSlash = false;
                }
                if (last) break;
                rest = rest[(end + 1)..];
            }
            if (output.Length == 0 || trailingSlash) output.Append('/');
            canonical = output.ToString();
            return PathRefusal.None;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<bool>.Shared.Return(escaped);
            ArrayPool<char>.Shared.Return(text);
        }
    }

    /// <summary>
    /// The canonical form of a route's prefix path, so that a prefix written with escapes or dot segments
    /// compares with canonical request paths. A prefix that has no canonical form is kept as written.
    /// </summary>
    public static string ForRoutePrefix(string prefix) =>
        IsCanonical(prefix) || Canonicalize(prefix, out var canonical, out _) != PathRefusal.None ? prefix : canonical;

    /// <summary>One segment's bytes, each marked with whether it was written as an escape.</summary>
    private static PathRefusal Decode(ReadOnlySpan<char> segment, byte[] bytes, bool[] escaped, out int count,
        out bool dotEscaped, out bool slashEscaped)
    {
        count = 0;
        dotEscaped = false;
        slashEscaped = false;
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (c == '%')
            {
                if (i + 2 >= segment.Length || !char.IsAsciiHexDigit(segment[i + 1]) || !char.IsAsciiHexDigit(segment[i + 2]))
                    return PathRefusal.InvalidEncoding;
                var b = (byte)(HexValue(segment[i + 1]) * 16 + HexValue(segment[i + 2]));
                i += 2;
                if (b < 0x20 || b == 0x7F) return PathRefusal.ControlCharacter;
                if (b is (byte)'/' or (byte)'\\') slashEscaped = true;
                if (b == '.') dotEscaped = true;
                bytes[count] = b;
                escaped[count++] = true;
            }
            else if (c < 0x20 || c == 0x7F)
            {
                return PathRefusal.ControlCharacter;
            }
            else if (c == '\\')
            {
                return PathRefusal.Backslash;
            }
            else if (c < 0x80)
            {
                bytes[count] = (byte)c;
                escaped[count++] = false;
            }
            else
            {
                // A character that is not ASCII (Kestrel read the request line as UTF-8) is escaped as its UTF-8 bytes.
                if (Rune.DecodeFromUtf16(segment[i..], out var rune, out var units) != OperationStatus.Done)
                    return PathRefusal.InvalidEncoding;
                var written = rune.EncodeToUtf8(bytes.AsSpan(count));
                escaped.AsSpan(count, written).Clear();
                count += written;
                i += units - 1;
            }
        }

        var decoded = bytes.AsSpan(0, count);
        if (!System.Text.Unicode.Utf8.IsValid(decoded)) return PathRefusal.InvalidEncoding;
        // A decoded '%' is always an escaped one ("%25"): followed by two hex digits it is an escape again.
        for (var at = decoded.IndexOf((byte)'%'); at >= 0; at = NextPercent(decoded, at))
        {
            if (at + 2 < decoded.Length && IsHexByte(decoded[at + 1]) && IsHexByte(decoded[at + 2])) return PathRefusal.DoubleEncoding;
        }
        return PathRefusal.None;
    }

    private static int NextPercent(ReadOnlySpan<byte> bytes, int previous)
    {
        var found = bytes[(previous + 1)..].IndexOf((byte)'%');
        return found < 0 ? -1 : found + previous + 1;
    }

    /// <summary>Writes a segment's canonical text: unreserved bytes as characters, other escapes kept, the rest escaped.</summary>
    private static int Encode(ReadOnlySpan<byte> bytes, ReadOnlySpan<bool> escaped, Span<char> text)
    {
        var length = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (IsUnreserved(b) || !escaped[i] && IsReservedPathChar(b))
            {
                text[length++] = (char)b;
                continue;
            }
            text[length++] = '%';
            text[length++] = HexDigits[b >> 4];
            text[length++] = HexDigits[b & 0xF];
        }
        return length;
    }

    /// <summary>Refusals that depend on the whole segment: dot segments that were escaped or carry parameters.</summary>
    private static PathRefusal Check(ReadOnlySpan<char> segment, bool dotEscaped, bool slashEscaped)
    {
        var parameters = segment.IndexOf(';');
        var name = parameters < 0 ? segment : segment[..parameters];
        var dotSegment = name is "." or "..";
        if (parameters >= 0 && (name.IsEmpty || dotSegment)) return PathRefusal.AmbiguousSegment;
        if (dotSegment && dotEscaped) return PathRefusal.EncodedDotSegment;
        if (slashEscaped)
        {
            // "..%2F" is a plain name here, but ".." to a server that decodes before it splits.
            var piece = 0;
            for (var i = 0; i <= segment.Length; i++)
            {
                var slash = i + 2 < segment.Length && segment[i] == '%' && segment.Slice(i + 1, 2) is "2F" or "5C";
                if (!slash && i < segment.Length) continue;
                if (segment[piece..i] is "." or "..") return PathRefusal.AmbiguousSegment;
                piece = i + 3;
                i += 2;
            }
        }
        return PathRefusal.None;
    }

    private const string HexDigits = "0123456789ABCDEF";

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static bool IsHexByte(byte b) => char.IsAsciiHexDigit((char)b);

    private static bool IsUnreserved(byte b) => char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~';

    private static bool IsReservedPathChar(byte b) =>
        b is (byte)'!' or (byte)'$' or (byte)'&' or (byte)'\'' or (byte)'(' or (byte)')' or (byte)'*' or (byte)'+' or (byte)','
            or (byte)';' or (byte)'=' or (byte)':' or (byte)'@';
}
