using System.Globalization;
using System.Text;

namespace Gateway.Adversarial.Wire;

/// <summary>
/// Thrown when bytes on a connection do not frame an HTTP/1.1 message; <see cref="ConnectionClosed"/> when the
/// peer only went away in the middle of one.
/// </summary>
public sealed class HttpFramingException(string message, bool connectionClosed = false) : Exception(message)
{
    public bool ConnectionClosed { get; } = connectionClosed;
}

/// <summary>One message head: the start line and the header fields in the order they came, names as sent.</summary>
public sealed record HttpHead(string StartLine, IReadOnlyList<(string Name, string Value)> Headers)
{
    public IEnumerable<string> Values(string name) =>
        Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    public string? Value(string name) => Values(name).FirstOrDefault();
}

/// <summary>
/// Reads HTTP/1.1 messages from a stream strictly, as a careful server or client would: heads end at an empty
/// CRLF line, bodies are framed by chunked encoding or Content-Length, and anything ambiguous is an
/// <see cref="HttpFramingException"/>. Header and start lines are byte strings (one char per byte).
/// </summary>
public sealed class HttpStreamReader(Stream stream, int maxHeadBytes = 1 << 20)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly StringBuilder _head = new();
    private int _start;
    private int _end;

    /// <summary>The bytes of the head being read (or last read), as they came: what to show when it could not be parsed.</summary>
    public string RawHead => _head.ToString();

    /// <summary>Whatever else arrives within <paramref name="wait"/>, up to <paramref name="max"/> bytes, as a byte string.</summary>
    public async Task<string> DrainAsync(TimeSpan wait, int max)
    {
        var text = new StringBuilder();
        using var cancel = new CancellationTokenSource(wait);
        try
        {
            while (text.Length < max && (_start < _end || await FillAsync(cancel.Token)))
            {
                while (_start < _end && text.Length < max) text.Append((char)_buffer[_start++]);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // Nothing more came.
        }
        return text.ToString();
    }

    /// <summary>The next head, or null when the stream ends cleanly before one starts.</summary>
    public async Task<HttpHead?> ReadHeadAsync(CancellationToken ct)
    {
        _head.Clear();
        var lines = new List<string>();
        var size = 0;
        while (true)
        {
            var line = await ReadLineAsync(ct, allowEnd: lines.Count == 0, _head);
            if (line is null) return null;
            size += line.Length + 2;
            if (size > maxHeadBytes) throw new HttpFramingException($"head longer than {maxHeadBytes} bytes");
            if (line.Length == 0)
            {
                if (lines.Count == 0) continue; // a stray CRLF between messages is tolerated (RFC 9112 §2.2)
                break;
            }
            lines.Add(line);
        }
        var headers = new List<(string, string)>();
        foreach (var line in lines.Skip(1))
        {
            if (line[0] is ' ' or '\t') throw new HttpFramingException("obsolete line folding");
            var colon = line.IndexOf(':');
            if (colon <= 0 || line[..colon].Any(c => c is ' ' or '\t')) throw new HttpFramingException($"bad header line: {line}");
            headers.Add((line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }
        return new HttpHead(lines[0], headers);
    }

    /// <summary>
    /// Reads and discards the body the head announces; returns its length. Both Content-Length and
    /// Transfer-Encoding, differing Content-Lengths, or a transfer coding other than a final chunked are refused.
    /// </summary>
    public async Task<long> ReadBodyAsync(HttpHead head, bool untilClose, CancellationToken ct)
    {
        var codings = head.Values("Transfer-Encoding").ToArray();
        var lengths = head.Values("Content-Length").SelectMany(v => v.Split(',')).Select(v => v.Trim()).Distinct().ToArray();
        if (codings.Length > 0)
        {
            if (lengths.Length > 0) throw new HttpFramingException("both Transfer-Encoding and Content-Length");
            var last = string.Join(',', codings).Split(',').Select(c => c.Trim()).Last();
            if (!last.Equals("chunked", StringComparison.OrdinalIgnoreCase))
                throw new HttpFramingException($"Transfer-Encoding without a final chunked: {string.Join(", ", codings)}");
            return await ReadChunkedAsync(ct);
        }
        if (lengths.Length > 1) throw new HttpFramingException($"differing Content-Lengths: {string.Join(", ", lengths)}");
        if (lengths.Length == 1)
        {
            if (!long.TryParse(lengths[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
                throw new HttpFramingException($"bad Content-Length: {lengths[0]}");
            await SkipAsync(length, ct);
            return length;
        }
        return untilClose ? await SkipToEndAsync(ct) : 0;
    }

    private async Task<long> ReadChunkedAsync(CancellationToken ct)
    {
        long total = 0;
        while (true)
        {
            var line = await ReadLineAsync(ct, allowEnd: false) ?? throw new HttpFramingException("connection closed in a chunk size", true);
            var semicolon = line.IndexOf(';');
            var sizeText = semicolon < 0 ? line : line[..semicolon];
            if (sizeText.Length is 0 or > 16 || !long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size))
                throw new HttpFramingException($"bad chunk size: {line}");
            if (size == 0) break;
            await SkipAsync(size, ct);
            total += size;
            if (await ReadLineAsync(ct, allowEnd: false) is not "") throw new HttpFramingException("chunk not followed by CRLF");
        }
        // Trailer fields, up to the empty line.
        while (await ReadLineAsync(ct, allowEnd: false) is { Length: > 0 }) { }
        return total;
    }

    /// <summary>A CRLF-terminated line without its CRLF; a bare LF or CR is a framing error.</summary>
    private async Task<string?> ReadLineAsync(CancellationToken ct, bool allowEnd, StringBuilder? raw = null)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(ct))
            {
                if (allowEnd && line.Length == 0) return null;
                throw new HttpFramingException("connection closed in the middle of a line", true);
            }
            var b = _buffer[_start++];
            raw?.Append((char)b);
            if (b == '\n') throw new HttpFramingException("bare LF");
            if (b == '\r')
            {
                if (_start == _end && !await FillAsync(ct)) throw new HttpFramingException("connection closed after CR", true);
                raw?.Append((char)_buffer[_start]);
                if (_buffer[_start++] != '\n') throw new HttpFramingException("bare CR");
                return line.ToString();
            }
            line.Append((char)b);
            if (line.Length > maxHeadBytes) throw new HttpFramingException($"line longer than {maxHeadBytes} bytes");
        }
    }

    private async Task SkipAsync(long count, CancellationToken ct)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(ct)) throw new HttpFramingException($"connection closed with {count} body bytes missing", true);
            var take = (int)Math.Min(count, _end - _start);
            _start += take;
            count -= take;
        }
    }

    private async Task<long> SkipToEndAsync(CancellationToken ct)
    {
        long total = _end - _start;
        _start = _end;
        while (await FillAsync(ct))
        {
            total += _end - _start;
            _start = _end;
        }
        return total;
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, ct);
        return _end > 0;
    }
}
