using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Gateway.Proxy.Proxying;

/// <summary>
/// gRPC calls that name their message format in the content type (<c>application/grpc+proto</c>, as the gRPC protocol
/// spells it, or <c>application/grpc+json</c>) forwarded as YARP forwards plain <c>application/grpc</c>, which is the only
/// spelling YARP recognises as a stream. Without this, each request message would wait in the upstream connection's
/// buffer (a bidirectional call stalls on its first message) and Kestrel's minimum request data rate would end a call
/// whose client is quiet for a few seconds.
/// </summary>
public static class GrpcStreaming
{
    /// <summary>A gRPC call over HTTP/2 or later whose content type has a "+format" suffix.</summary>
    public static bool NeedsHelp(HttpRequest request) =>
        (HttpProtocol.IsHttp2(request.Protocol) || HttpProtocol.IsHttp3(request.Protocol))
        && request.ContentType is { } type && type.StartsWith("application/grpc+", StringComparison.OrdinalIgnoreCase);

    /// <summary>Lets the call stay quiet as long as it likes, and sends each piece of its body upstream as it arrives.</summary>
    public static void Apply(HttpContext context, HttpRequestMessage proxyRequest)
    {
        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate) rate.MinDataRate = null;
        if (proxyRequest.Content is { } content) proxyRequest.Content = new FlushingContent(content);
    }

    /// <summary>The request content, with every write flushed to the connection.</summary>
    private sealed class FlushingContent : HttpContent
    {
        private readonly HttpContent _inner;

        public FlushingContent(HttpContent inner)
        {
            _inner = inner;
            foreach (var (name, values) in inner.Headers) Headers.TryAddWithoutValidation(name, values);
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        // The token is passed on unchanged: YARP tells HTTP/1.1 from HTTP/2 by it.
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken) =>
            _inner.CopyToAsync(new FlushingStream(stream), context, cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }

    private sealed class FlushingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            await inner.FlushAsync(cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            inner.Flush();
        }

        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
