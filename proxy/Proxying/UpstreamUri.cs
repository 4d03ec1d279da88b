using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Proxying;

/// <summary>
/// The URI of the upstream request: destination prefix, path and the client's query string untouched.
/// The path is in canonical form already (escapes kept as the client wrote them, so an allowed %2F stays %2F),
/// and is sent as it is. Only a path a plugin wrote (request-transformer's <c>replace.uri</c>) may hold characters
/// that cannot stand in a path: those are percent-encoded here, as is a '%' that starts no escape.
/// </summary>
public static class UpstreamUri
{
    // RFC 3986 pchar and '/', plus '%' (decided separately).
    private static readonly SearchValues<char> PathChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/%");

    public static Uri Build(string destinationPrefix, string path, QueryString query) =>
        new(string.Concat(destinationPrefix, NeedsEncoding(path) ? Encode(path) : path, query.Value), UriKind.Absolute);

    private static bool NeedsEncoding(string path)
    {
        if (path.AsSpan().IndexOfAnyExcept(PathChars) >= 0) return true;
        for (var at = path.IndexOf('%'); at >= 0; at = path.IndexOf('%', at + 1))
            if (!IsEscape(path, at)) return true;
        return false;
    }

    private static string Encode(string path)
    {
        var builder = new StringBuilder(path.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (PathChars.Contains(c) && (c != '%' || IsEscape(path, i)))
            {
                builder.Append(c);
                continue;
            }
            var units = char.IsHighSurrogate(c) && i + 1 < path.Length ? 2 : 1;
            var length = Encoding.UTF8.GetBytes(path.AsSpan(i, units), utf8);
            i += units - 1;
            foreach (var b in utf8[..length]) builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    private static bool IsEscape(string path, int at) =>
        at + 2 < path.Length && char.IsAsciiHexDigit(path[at + 1]) && char.IsAsciiHexDigit(path[at + 2]);
}
