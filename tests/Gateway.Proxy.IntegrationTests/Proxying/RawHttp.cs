using System.Net.Sockets;
using System.Text;

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>
/// Sends a request exactly as written, byte for byte, and reads the answer. HttpClient cleans request targets
/// (dot segments, backslashes) before sending them, which is precisely what hostile-input tests must not do.
/// </summary>
public static class RawHttp
{
    /// <summary>A GET of <paramref name="target"/> with the given extra header lines, on a fresh connection.</summary>
    public static Task<RawResponse> GetAsync(int port, string target, params string[] headerLines) =>
        SendAsync(port, $"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{string.Concat(headerLines.Select(h => h + "\r\n"))}Connection: close\r\n\r\n");

    public static async Task<RawResponse> SendAsync(int port, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request));
        using var reader = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await stream.CopyToAsync(reader, timeout.Token);
        return RawResponse.Parse(Encoding.UTF8.GetString(reader.ToArray()));
    }
}

/// <summary>A response read off the wire: status, headers (names lower-cased) and body.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());

    public static RawResponse Parse(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, "no complete response head: " + text);
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        var headers = new Dictionary<string, string>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        var body = text[(end + 4)..];
        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding == "chunked") body = Unchunk(body);
        return new RawResponse(status, headers, body);
    }

    private static string Unchunk(string body)
    {
        var result = new StringBuilder();
        var at = 0;
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(body[at..lineEnd].Split(';')[0], 16);
            if (size == 0) return result.ToString();
            result.Append(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
