using System.Collections.Concurrent;
using System.Net;
using Gateway.Adversarial.Generation;
using Gateway.Adversarial.Wire;

namespace Gateway.Adversarial.Tests;

/// <summary>
/// The upstream recorder over real loopback sockets: it sees each request exactly as sent, frames strictly,
/// and answers so that a gateway in front of it never has a reason to fail or retry.
/// </summary>
public sealed class RecorderTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<RecordedRequest> _received = new();
    private UpstreamRecorder? _recorder;

    private UpstreamRecorder Recorder => _recorder!;

    public Task InitializeAsync()
    {
        _recorder = UpstreamRecorder.Start(_received.Enqueue);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Recorder.DisposeAsync();

    private async Task<RawExchange> SendAsync(string bytes, bool watchForMore = false)
    {
        var exchange = await RawHttpClient.ExchangeAsync(new IPEndPoint(IPAddress.Loopback, Recorder.Port), [new WirePart(WireText.Bytes(bytes))],
            TimeSpan.FromSeconds(10), watchForMore: watchForMore ? TimeSpan.FromMilliseconds(300) : null);
        await Recorder.WaitUntilIdleAsync(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5));
        return exchange;
    }

    [Fact]
    public async Task A_request_is_recorded_as_sent_and_answered_with_the_mark()
    {
        var exchange = await SendAsync("GET /a%2Fb//c HTTP/1.1\r\nHost: x\r\nX-Consumer-Groups: forged\r\n\r\n");
        Assert.Equal(200, exchange.First?.Status);
        Assert.True(exchange.First!.FromUpstream);
        var request = Assert.Single(_received);
        Assert.Equal("/a%2Fb//c", request.Target);
        Assert.Contains(("X-Consumer-Groups", "forged"), request.Headers);
    }

    [Fact]
    public async Task Two_requests_in_one_write_are_two_requests()
    {
        var exchange = await SendAsync("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n", watchForMore: true);
        Assert.Equal(2, exchange.Responses.Count);
        Assert.Equal(["/1", "/2"], _received.Select(r => r.Target));
    }

    [Fact]
    public async Task Bodies_are_framed_by_length_or_chunks()
    {
        await SendAsync("POST /cl HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloPOST /te HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            watchForMore: true);
        Assert.Equal([5L, 3L], _received.Select(r => r.BodyLength));
        Assert.All(_received, r => Assert.Null(r.FramingError));
    }

    [Theory]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "both")]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\nhello", "differing")]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunk size")]
    public async Task Ambiguous_framing_is_recorded_and_refused(string bytes, string error)
    {
        var exchange = await SendAsync(bytes);
        Assert.Equal(400, exchange.First?.Status);
        Assert.Contains(error, Assert.Single(_received).FramingError);
    }

    [Fact]
    public async Task An_unreadable_head_is_kept_as_text()
    {
        var exchange = await SendAsync("GET / HTTP/1.1\r\nX-Path: a\rb\r\nX-Harness-Case: 7\r\n\r\n");
        Assert.Equal(400, exchange.First?.Status);
        var request = Assert.Single(_received);
        Assert.Contains("X-Harness-Case: 7", request.RawHead);
        Assert.Equal("GET / HTTP/1.1", request.RequestLine);
    }

    [Fact]
    public async Task A_head_request_gets_no_body_so_the_connection_stays_in_step()
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Recorder.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(WireText.Bytes("HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
        var answer = await reader.ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer);
        Assert.EndsWith("Content-Length: 2\r\n\r\n", answer);
    }
}
