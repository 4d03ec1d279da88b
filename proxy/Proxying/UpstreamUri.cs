using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Proxying;

/// <summary>
/// The URI of the upstream request: destination prefix, path and the client's query string untouched.
/// The path comes decoded from Kestrel except for "%2F", which Kestrel leaves encoded so that it is not
/// confused with a '/'. It is re-encoded here keeping that "%2F" as it is (PathString would turn it into
/// "%252F"); everything else that is not allowed in a path is percent-encoded.
/// </summary>
public static class UpstreamUri
{
    public static Uri Build(string destinationPrefix, string path, QueryString query) =>
        new(string.Concat(destinationPrefix, NeedsEncoding(path) ? Encode(path) : path, query.Value), UriKind.Absolute);

    private static bool NeedsEncoding(string path)
    {
        for (var i = 0; i < path.Length; i++)
            if (!IsPathChar(path[i]) || path[i] == '%' && !IsEncodedSlash(path, i)) return true;
        return false;
    }

    private static string Encode(string path)
    {
        var builder = new System.Text.StringBuilder(path.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (IsPathChar(c) && (c != '%' || IsEncodedSlash(path, i)))
            {
                builder.Append(c);
                continue;
            }
            var length = char.IsHighSurrogate(c) && i + 1 < path.Length
                ? System.Text.Encoding.UTF8.GetBytes(path.AsSpan(i++, 2), utf8)
                : System.Text.Encoding.UTF8.GetBytes(path.AsSpan(i, 1), utf8);
            foreach (var b in utf8[..length]) builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    private static bool IsEncodedSlash(string path, int i) =>
        i + 2 < path.Length && path[i + 1] == '2' && (path[i + 2] == 'F' || path[i + 2] == 'f');

    // RFC 3986 pchar and '/', plus '%' (decided separately).
    private static bool IsPathChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
            or '-' or '.' or '_' or '~' or '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '='
            or ':' or '@' or '/' or '%';
}
