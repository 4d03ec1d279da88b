using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Settings;

namespace Gateway.Proxy.IntegrationTests.EndToEnd;

/// <summary>
/// The request line and headers a client may send are bounded on the gateway's own listener, as nginx bounds them:
/// Kestrel answers what is over the limits (414, 431) and disconnects a client that drips its headers (408) before
/// the proxy sees the request; within them, the proxy answers (404: no route). Requests are written byte for byte on
/// a socket, so the sizes are exactly the tested ones.
/// </summary>
public sealed class HeaderLimitsTests : IAsyncLifetime
{
    private const int Found = 404;
    private const string Crlf = "\r\n";

    private WebApplication _gateway = null!;
    private ListenAddress _proxy = null!;
    private string _cacheDir = null!;

    public async Task InitializeAsync()
    {
        _proxy = Loopback.FreeAddress();
        _cacheDir = Directory.CreateTempSubdirectory("tollgate-header-limits-").FullName;
        _gateway = GatewayHost.Build(new GatewaySettings
        {
            Database = DatabaseMode.Off,
            ProxyListen = _proxy,
            AdminListen = null,
            StatusListen = null,
            CacheDir = _cacheDir,
        });
        await _gateway.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _gateway.StopAsync();
        await _gateway.DisposeAsync();
        Directory.Delete(_cacheDir, recursive: true);
    }

    /// <summary>A request whose request line, CRLF included, is <paramref name="bytes"/> long.</summary>
    private static string WithRequestLine(int bytes)
    {
        var line = "GET /nothing?q=" + new string('a', bytes - "GET /nothing?q= HTTP/1.1".Length - Crlf.Length) + " HTTP/1.1";
        return line + Crlf + "Host: gw" + Crlf + Crlf;
    }

    /// <summary>A request with Host and <paramref name="others"/> more headers.</summary>
    private static string WithHeaders(int others)
    {
        var text = new StringBuilder("GET /nothing HTTP/1.1" + Crlf + "Host: gw" + Crlf);
        for (var i = 0; i < others; i++) text.Append($"X-H{i:D3}: v{Crlf}");
        return text.Append(Crlf).ToString();
    }

    /// <summary>
    /// A request whose header lines, each with its CRLF, are <paramref name="bytes"/> long together: Host, then headers
    /// "X-Pnn: v…" of at most 4 KiB each.
    /// </summary>
    private static string WithHeaderBytes(int bytes)
    {
        var lines = new StringBuilder("Host: gw" + Crlf);
        for (var i = 0; lines.Length < bytes; i++)
        {
            var name = $"X-P{i:D2}: ";
            var value = Math.Min(4096, bytes - lines.Length - name.Length - Crlf.Length);
            lines.Append(name).Append('v', value).Append(Crlf);
        }
        return "GET /nothing HTTP/1.1" + Crlf + lines + Crlf;
    }

    // The documented limits, written out: nginx's 8 KiB request line and 32 KiB of headers, Kong's 100 headers.
    public static TheoryData<string, string, int> Requests => new()
    {
        { "a request line of 8 KiB", WithRequestLine(8 * 1024), Found },
        { "a request line over 8 KiB", WithRequestLine(8 * 1024 + 1), 414 },
        { "100 headers", WithHeaders(99), Found },
        { "101 headers", WithHeaders(100), 431 },
        { "32 KiB of headers", WithHeaderBytes(32 * 1024), Found },
        { "headers over 32 KiB", WithHeaderBytes(32 * 1024 + 1), 431 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Requests_over_the_header_limits_are_answered_by_kestrel(string what, string request, int status)
    {
        using var socket = await ConnectAsync();
        await socket.GetStream().WriteAsync(Encoding.ASCII.GetBytes(request));

        Assert.Equal((what, status), (what, await StatusAsync(socket)));
    }

    [Fact]
    public async Task A_client_dripping_its_headers_is_answered_408_and_disconnected_within_the_headers_timeout()
    {
        using var socket = await ConnectAsync();
        var stream = socket.GetStream();
        var clock = Stopwatch.StartNew();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /nothing HTTP/1.1" + Crlf + "Host: gw" + Crlf + "X-Slow: "));

        // A byte every half second: each arrives well within any idle timeout, but the headers never end.
        var reading = StatusAsync(socket);
        while (!reading.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(25))
        {
            try
            {
                await stream.WriteAsync("v"u8.ToArray());
            }
            catch (IOException)
            {
                break;
            }
            await Task.WhenAny(reading, Task.Delay(500));
        }

        Assert.True(reading.IsCompleted, "the connection was still open after 25 s");
        Assert.Equal(408, await reading);
        // 10 s, and a heartbeat's slack.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"answered after {clock.Elapsed}");
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var socket = new TcpClient();
        await socket.ConnectAsync(_proxy.Address, _proxy.Port);
        return socket;
    }

    /// <summary>The status code read from the answer's status line ("HTTP/1.1 431 …"); 0 when the connection closed first.</summary>
    private static async Task<int> StatusAsync(TcpClient socket)
    {
        var buffer = new byte[12];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await socket.GetStream().ReadExactlyAsync(buffer, timeout.Token);
        }
        catch (EndOfStreamException)
        {
            return 0;
        }
        return int.Parse(Encoding.ASCII.GetString(buffer, 9, 3), System.Globalization.CultureInfo.InvariantCulture);
    }
}
