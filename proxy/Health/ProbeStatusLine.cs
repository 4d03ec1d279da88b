namespace Gateway.Proxy.Health;

/// <summary>Reads the status code of a probe's answer from its status line, as Kong's checker does.</summary>
public static class ProbeStatusLine
{
    /// <summary>The longest status line read; a longer one is not an answer.</summary>
    public const int MaxLength = 4096;

    /// <summary>
    /// The code of "HTTP/d.d code …" (any digits around the dot, spaces or tabs before the code, as many digits as given:
    /// a code outside the configured lists is not counted); 0 when the line is not a status line, which counts as an HTTP failure.
    /// </summary>
    public static int Parse(ReadOnlySpan<byte> line)
    {
        if (!line.StartsWith("HTTP/"u8)) return 0;
        var i = 5;
        if (!Digits(line, ref i) || i >= line.Length || line[i] != (byte)'.') return 0;
        i++;
        if (!Digits(line, ref i)) return 0;
        var spaces = i;
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t') i++;
        if (i == spaces) return 0;
        var start = i;
        var code = 0;
        while (i < line.Length && line[i] is >= (byte)'0' and <= (byte)'9') code = Math.Min(code * 10 + (line[i++] - '0'), 99999);
        return i > start ? code : 0;
    }

    private static bool Digits(ReadOnlySpan<byte> line, ref int i)
    {
        var start = i;
        while (i < line.Length && line[i] is >= (byte)'0' and <= (byte)'9') i++;
        return i > start;
    }

    /// <summary>Reads up to the first line feed; throws <see cref="IOException"/> when the stream ends first or the line is too long.</summary>
    public static async Task<int> ReadAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[MaxLength];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0) throw new IOException("the target closed the connection before a status line");
            var end = Array.IndexOf(buffer, (byte)'\n', length, read);
            length += read;
            if (end >= 0) return Parse(buffer.AsSpan(0, end));
        }
        throw new IOException("the status line is too long");
    }
}
