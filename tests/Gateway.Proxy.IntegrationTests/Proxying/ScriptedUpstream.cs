using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>What a <see cref="ScriptedUpstream"/> does with one request it has read whole.</summary>
public enum UpstreamAct
{
    /// <summary>Answer 200 with the request's body (HTTP/1.1, the connection kept open).</summary>
    Answer,

    /// <summary>Close the connection without answering, as a crashing or overloaded server does.</summary>
    Close,

    /// <summary>Never answer, keeping the connection open.</summary>
    Hang,
}

/// <summary>
/// A raw HTTP/1.1 upstream on loopback that acts on each request as its script says (the acts are used in order; the
/// last one repeats), and records every request it read: misbehaviour on cue, for tests of what the gateway retries.
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly UpstreamAct[] _script;
    private readonly Task _accepting;
    private int _next;

    private ScriptedUpstream(UpstreamAct[] script)
    {
        _script = script;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Every request read, as "METHOD /path body".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static ScriptedUpstream Start(params UpstreamAct[] script) => new(script);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            try
            {
                while (await ReadRequestAsync(stream) is { } request)
                {
                    Requests.Enqueue(request.Line + " " + request.Body);
                    var act = _script[Math.Min(Interlocked.Increment(ref _next) - 1, _script.Length - 1)];
                    if (act == UpstreamAct.Close) return;
                    if (act == UpstreamAct.Hang)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        return;
                    }
                    var body = Encoding.UTF8.GetBytes(request.Body);
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n"), _stop.Token);
                    await stream.WriteAsync(body, _stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
            }
        }
    }

    private async Task<(string Line, string Body)?> ReadRequestAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0) return null;
            head.Append((char)one[0]);
        }
        var lines = head.ToString().Split("\r\n");
        var length = lines.Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(p => int.Parse(p[1].Trim())).FirstOrDefault();
        var body = new byte[length];
        var read = 0;
        while (read < length)
        {
            var count = await stream.ReadAsync(body.AsMemory(read), _stop.Token);
            if (count == 0) return null;
            read += count;
        }
        var parts = lines[0].Split(' ');
        return (parts[0] + " " + parts[1], Encoding.UTF8.GetString(body));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
