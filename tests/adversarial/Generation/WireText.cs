using System.Text;

namespace Gateway.Adversarial.Generation;

/// <summary>
/// Requests as bytes on the wire. Request lines and headers are byte strings: each char of the .NET string is one
/// byte (Latin-1), so generators can write NUL, control characters and invalid UTF-8 exactly where they mean to.
/// </summary>
public static class WireText
{
    public static byte[] Bytes(string byteString) => Encoding.Latin1.GetBytes(byteString);

    public static string ByteString(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>UTF-8 text as a byte string, for paths and header values that carry non-ASCII characters.</summary>
    public static string Utf8(string text) => ByteString(Encoding.UTF8.GetBytes(text));

    /// <summary>A request with CRLF line ends, the given headers in order, and the body as is.</summary>
    public static byte[] Request(string requestLine, IEnumerable<(string Name, string Value)> headers, byte[] body)
    {
        var head = new StringBuilder(requestLine).Append("\r\n");
        foreach (var (name, value) in headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        head.Append("\r\n");
        return [.. Bytes(head.ToString()), .. body];
    }

    /// <summary>
    /// The start of a request for reports: printable ASCII as is, everything else escaped (\r \n \0 \xHH), cut at
    /// <paramref name="max"/> characters with the total length noted.
    /// </summary>
    public static string Printable(ReadOnlySpan<byte> bytes, int max = 400)
    {
        var text = new StringBuilder();
        foreach (var b in bytes)
        {
            if (text.Length >= max)
            {
                text.Append($"… ({bytes.Length} bytes)");
                break;
            }
            text.Append(b switch
            {
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                (byte)'\t' => "\\t",
                0 => "\\0",
                (byte)'\\' => "\\\\",
                >= 0x20 and < 0x7F => ((char)b).ToString(),
                _ => $"\\x{b:X2}",
            });
        }
        return text.ToString();
    }
}
