using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Gateway.Proxy.IntegrationTests.Proxying.Grpc;

/// <summary>
/// A bidirectional gRPC call made by hand over HTTP/2 (h2c), for what Grpc.Net.Client does not send: a chosen content
/// type such as <c>application/grpc+json</c>. Messages are written and read one at a time, in gRPC's length-prefixed frames.
/// </summary>
public sealed class RawGrpcCall : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly OpenContent _content;
    private readonly Task<HttpResponseMessage> _response;
    private Stream? _responseBody;

    private RawGrpcCall(HttpClient client, OpenContent content, Task<HttpResponseMessage> response)
    {
        _client = client;
        _content = content;
        _response = response;
    }

    /// <summary>The response, once its headers have come (a server may send them only with its first message).</summary>
    public Task<HttpResponseMessage> Response => _response;

    /// <summary>Starts a call of <paramref name="path"/> ("/package.Service/Method") at <paramref name="baseUrl"/>.</summary>
    public static RawGrpcCall Start(string baseUrl, string path, string contentType, CancellationToken cancellation)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var content = new OpenContent();
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        return new RawGrpcCall(client, content, client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation));
    }

    public async Task WriteAsync(string message, CancellationToken cancellation)
    {
        var payload = Encoding.UTF8.GetBytes(message);
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        var stream = await _content.Stream.WaitAsync(cancellation);
        await stream.WriteAsync(frame, cancellation);
        await stream.FlushAsync(cancellation);
    }

    /// <summary>Ends the request stream.</summary>
    public void Complete() => _content.Finish();

    /// <summary>The next message, or null at the end of the response.</summary>
    public async Task<string?> ReadAsync(CancellationToken cancellation)
    {
        var prefix = new byte[5];
        if (!await ReadExactlyOrEndAsync(prefix, cancellation)) return null;
        var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(prefix.AsSpan(1))];
        if (!await ReadExactlyOrEndAsync(payload, cancellation)) throw new EndOfStreamException("the response ended inside a message");
        return Encoding.UTF8.GetString(payload);
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellation)
    {
        _responseBody ??= await (await _response.WaitAsync(cancellation)).Content.ReadAsStreamAsync(cancellation);
        var read = await _responseBody.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellation);
        if (read == 0) return false;
        if (read < buffer.Length) throw new EndOfStreamException("the response ended inside a message");
        return true;
    }

    /// <summary>A response trailer, readable once the response has been read to its end.</summary>
    public string? Trailer(string name) =>
        _response.Result.TrailingHeaders.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    public ValueTask DisposeAsync()
    {
        _content.Finish();
        if (_response.IsCompletedSuccessfully) _response.Result.Dispose();
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A request body that stays open, written by the test, until <see cref="Finish"/>.</summary>
    private sealed class OpenContent : HttpContent
    {
        private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<Stream> Stream => _stream.Task;

        public void Finish() => _finished.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            _stream.TrySetResult(stream);
            await _finished.Task;
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
