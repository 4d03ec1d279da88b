using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Adversarial.Wire;

/// <summary>
/// What reached the upstream: the request line and header fields exactly as received, the body's length, and,
/// when the message could not be framed, why (<see cref="Truncated"/> when the gateway only hung up mid-body).
/// </summary>
public sealed record RecordedRequest(string RequestLine, IReadOnlyList<(string Name, string Value)> Headers, long BodyLength,
    string? FramingError = null, bool Truncated = false)
{
    /// <summary>A head that could not be parsed, as the bytes that came (a byte string), with its first line as the request line.</summary>
    public static RecordedRequest Unreadable(string raw, string error)
    {
        var end = raw.IndexOfAny(['\r', '\n']);
        return new RecordedRequest(end < 0 ? raw : raw[..end], [], 0, "unreadable head: " + error) { RawHead = raw };
    }

    public string? RawHead { get; init; }

    public HttpHead Head => new(RequestLine, Headers);

    /// <summary>The request target: the second word of the request line.</summary>
    public string Target => RequestLine.Split(' ') is { Length: >= 2 } words ? words[1] : "";
}

/// <summary>
/// A raw TCP HTTP/1.1 upstream on loopback that records every request it receives and answers each with a
/// small 200 carrying <see cref="MarkerHeader"/>. It parses strictly (<see cref="HttpStreamReader"/>), so a
/// message an upstream could read two ways is recorded with its framing error, and it never answers 5xx nor
/// closes a connection the gateway could reuse, so every gateway 5xx is the gateway's own.
/// </summary>
public sealed class UpstreamRecorder : IAsyncDisposable
{
    public const string MarkerHeader = "X-Harness-Upstream";

    private static readonly byte[] Answer = Encoding.ASCII.GetBytes(
        $"HTTP/1.1 200 OK\r\n{MarkerHeader}: recorder\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
    private static readonly byte[] HeadAnswer = Answer[..^2];
    private static readonly byte[] Continue = Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\r\n\r\n");

    // What a careful server answers to a message it cannot frame before it hangs up. Closing without an answer
    // would make the gateway's HTTP client retry on a fresh connection and answer 502: the harness's doing.
    private static readonly byte[] BadRequest = Encoding.ASCII.GetBytes(
        $"HTTP/1.1 400 Bad Request\r\n{MarkerHeader}: recorder\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    private readonly TcpListener _listener;
    private readonly Action<RecordedRequest> _record;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _inFlight;
    private long _lastActivity = Stopwatch.GetTimestamp();

    private UpstreamRecorder(Action<RecordedRequest> record)
    {
        _record = record;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog: 512);
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Starts listening; <paramref name="record"/> is called, from any thread, once per request received.</summary>
    public static UpstreamRecorder Start(Action<RecordedRequest> record) => new(record);

    /// <summary>Waits until no request is being received and none arrived for <paramref name="quiet"/>, or <paramref name="limit"/> passed.</summary>
    public async Task WaitUntilIdleAsync(TimeSpan quiet, TimeSpan limit)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (Volatile.Read(ref _inFlight) == 0 && Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastActivity)) >= quiet) return;
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] open;
        lock (_connections) open = [.. _connections];
        await Task.WhenAll(open);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(ServeAsync(socket));
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var reader = new HttpStreamReader(stream);
        try
        {
            while (await ServeOneAsync(stream, reader)) { }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The gateway hung up; nothing to answer.
        }
    }

    /// <summary>Receives one request and answers it; false when the connection is done.</summary>
    private async Task<bool> ServeOneAsync(NetworkStream stream, HttpStreamReader reader)
    {
        HttpHead? head;
        try
        {
            head = await reader.ReadHeadAsync(_stop.Token);
        }
        catch (HttpFramingException e)
        {
            if (!e.ConnectionClosed || reader.RawHead.Length > 0)
                _record(RecordedRequest.Unreadable(reader.RawHead + await reader.DrainAsync(TimeSpan.FromMilliseconds(100), 64 * 1024), e.Message));
            if (!e.ConnectionClosed) await stream.WriteAsync(BadRequest, _stop.Token);
            return false;
        }
        if (head is null) return false;

        Interlocked.Increment(ref _inFlight);
        try
        {
            Touch();
            if (head.Value("Expect") is { } expect && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
                await stream.WriteAsync(Continue, _stop.Token);
            long length;
            try
            {
                length = await reader.ReadBodyAsync(head, untilClose: false, _stop.Token);
            }
            catch (HttpFramingException e)
            {
                _record(new RecordedRequest(head.StartLine, head.Headers, 0, e.Message, e.ConnectionClosed));
                if (!e.ConnectionClosed) await stream.WriteAsync(BadRequest, _stop.Token);
                return false;
            }
            catch (IOException)
            {
                _record(new RecordedRequest(head.StartLine, head.Headers, 0, "connection reset in the body", Truncated: true));
                return false;
            }
            _record(new RecordedRequest(head.StartLine, head.Headers, length));
            var isHead = head.StartLine.StartsWith("HEAD ", StringComparison.Ordinal);
            await stream.WriteAsync(isHead ? HeadAnswer : Answer, _stop.Token);
            return !head.Values("Connection").Any(v => v.Contains("close", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            Touch();
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, Stopwatch.GetTimestamp());
}
