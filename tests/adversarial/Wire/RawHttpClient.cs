using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gateway.Adversarial.Generation;

namespace Gateway.Adversarial.Wire;

/// <summary>A response as it came off the wire.</summary>
public sealed record RawResponse(int Status, HttpHead Head)
{
    /// <summary>Whether the upstream recorder wrote it; otherwise the gateway (or its web server) did.</summary>
    public bool FromUpstream => Head.Value(UpstreamRecorder.MarkerHeader) is not null;

    public override string ToString() => $"{Status} (Server: {Head.Value("Server") ?? "none"}{(FromUpstream ? ", from the upstream" : "")})";
}

/// <summary>What one connection brought back: the responses, and why reading stopped early, if it did.</summary>
public sealed record RawExchange(IReadOnlyList<RawResponse> Responses, string? Failure)
{
    public RawResponse? First => Responses.Count > 0 ? Responses[0] : null;

    public override string ToString() =>
        Responses.Count == 0 ? $"no answer ({Failure})" : string.Join(" + ", Responses) + (Failure is null ? "" : $" then {Failure}");
}

/// <summary>
/// Sends bytes exactly as given over a fresh TCP connection (no client library normalises the path or the
/// headers) and reads what comes back: one response, or a few more when asked to watch for them.
/// </summary>
public static class RawHttpClient
{
    public static async Task<RawExchange> ExchangeAsync(IPEndPoint endpoint, IReadOnlyList<WirePart> parts, TimeSpan answerTimeout,
        bool headRequest = false, TimeSpan? watchForMore = null)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (var connect = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await socket.ConnectAsync(endpoint, connect.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                return new RawExchange([], "connect failed: " + e.Message);
            }
        }
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var writeFailure = await WriteAsync(stream, parts);

        var responses = new List<RawResponse>();
        var reader = new HttpStreamReader(stream);
        var failure = await ReadAsync(reader, responses, answerTimeout, headRequest, stopAfterOne: true);
        if (watchForMore is { } more && responses.Count > 0 && failure is null)
        {
            var after = await ReadAsync(reader, responses, more, headRequest, stopAfterOne: false);
            failure = after is "timed out" ? null : after;
        }
        return new RawExchange(responses, failure ?? (responses.Count == 0 ? writeFailure : null));
    }

    // The server may answer (and close) before the request is fully written: that is an answer, not a failure.
    private static async Task<string?> WriteAsync(NetworkStream stream, IReadOnlyList<WirePart> parts)
    {
        try
        {
            foreach (var part in parts)
            {
                if (part.DelayMs > 0) await Task.Delay(part.DelayMs);
                await stream.WriteAsync(part.Bytes);
            }
            return null;
        }
        catch (IOException e)
        {
            return "write failed: " + e.Message;
        }
    }

    private static async Task<string?> ReadAsync(HttpStreamReader reader, List<RawResponse> responses, TimeSpan timeout,
        bool headRequest, bool stopAfterOne)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var head = await reader.ReadHeadAsync(cancel.Token);
                if (head is null) return responses.Count == 0 ? "closed without an answer" : null;
                var status = ParseStatus(head.StartLine);
                if (status is >= 100 and < 200 && status != 101) continue;
                var bodiless = headRequest || status is 204 or 304 or < 200;
                if (!bodiless) await reader.ReadBodyAsync(head, untilClose: true, cancel.Token);
                responses.Add(new RawResponse(status, head));
                if (stopAfterOne) return null;
            }
        }
        catch (OperationCanceledException)
        {
            return "timed out";
        }
        catch (HttpFramingException e)
        {
            return "bad response: " + e.Message;
        }
        catch (IOException e)
        {
            return responses.Count == 0 ? "connection reset: " + e.Message : null;
        }
    }

    private static int ParseStatus(string statusLine)
    {
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            throw new HttpFramingException($"bad status line: {statusLine}");
        return status;
    }
}
