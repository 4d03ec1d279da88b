using Gateway.Proxy.Streams;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Transforms;

/// <summary>
/// A request or response body read into memory only up to a limit, so that no client or upstream can make a plugin
/// hold more than that. A body that ends within the limit is read whole; a longer one is not read past the limit, and
/// what was read is sent on in front of the rest, which streams as it comes.
/// </summary>
public sealed class BoundedBody
{
    private const int FirstBufferBytes = 16 * 1024;

    private readonly byte[] _buffer;
    private readonly int _length;

    private BoundedBody(byte[] buffer, int length, bool isComplete)
    {
        _buffer = buffer;
        _length = length;
        IsComplete = isComplete;
    }

    /// <summary>True when <see cref="Bytes"/> is the whole body; false when the body is longer than the limit.</summary>
    public bool IsComplete { get; }

    /// <summary>The whole body, or when it is over the limit, the part already read.</summary>
    public ReadOnlyMemory<byte> Bytes => _buffer.AsMemory(0, _length);

    /// <summary>
    /// Reads <paramref name="source"/> to its end if it ends within <paramref name="limit"/> bytes, else stops after
    /// limit + 1 bytes. <paramref name="declaredLength"/> (a Content-Length) only sizes the first buffer: callers that
    /// need not read a body declared longer than the limit do not call this.
    /// </summary>
    public static async ValueTask<BoundedBody> ReadAsync(Stream source, long? declaredLength, int limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Min(declaredLength ?? FirstBufferBytes, limit) + 1];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > limit) return new BoundedBody(buffer, length, isComplete: false);
                Array.Resize(ref buffer, (int)Math.Min(2L * buffer.Length, limit + 1L));
            }
            var read = await source.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0) return new BoundedBody(buffer, length, isComplete: true);
            length += read;
        }
    }

    /// <summary>
    /// Reads a request body for a plugin that edits or searches it. When it fits in <paramref name="limit"/> bytes,
    /// returns them, and the request forwards these bytes. Otherwise returns null, and the request forwards its body
    /// unchanged: what was read, then the rest as the client sends it.
    /// </summary>
    public static async ValueTask<ReadOnlyMemory<byte>?> ReadRequestAsync(HttpRequest request, int limit)
    {
        // Declared too long: not a byte is read, so the body streams on as it arrives.
        if (request.ContentLength > limit) return null;
        var body = await ReadAsync(request.Body, request.ContentLength, limit, request.HttpContext.RequestAborted);
        if (!body.IsComplete)
        {
            request.Body = body.FollowedBy(request.Body);
            return null;
        }
        request.Body = new MemoryStream(body._buffer, 0, body._length, writable: false);
        return body.Bytes;
    }

    /// <summary>The bytes read, followed by the rest of <paramref name="rest"/> (which stays open when this stream is disposed).</summary>
    public Stream FollowedBy(Stream rest) => new ReplayStream(Bytes, rest);

    /// <summary>A read-only stream that yields bytes already read from a stream before reading on from it.</summary>
    private sealed class ReplayStream(ReadOnlyMemory<byte> read, Stream rest) : ReadOnlyStream
    {
        private ReadOnlyMemory<byte> _unsent = read;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _unsent.IsEmpty ? await rest.ReadAsync(buffer, cancellationToken) : Replay(buffer.Span);

        public override int Read(Span<byte> buffer) => _unsent.IsEmpty ? rest.Read(buffer) : Replay(buffer);

        private int Replay(Span<byte> destination)
        {
            var count = Math.Min(destination.Length, _unsent.Length);
            _unsent.Span[..count].CopyTo(destination);
            _unsent = _unsent[count..];
            return count;
        }
    }
}
