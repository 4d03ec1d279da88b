using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Proxy.Hosting;

/// <summary>
/// What a client may send before its request is handled, on every listener: nginx's header buffers
/// (<c>large_client_header_buffers 4 8k</c>: an 8 KiB request line, 32 KiB of header lines, line ends included),
/// at most 100 headers (the most Kong's plugins read; nginx has no count, this is Tollgate's own), and a 10 s deadline for the whole header section so that a client dripping it byte by byte
/// (slowloris) cannot hold a connection. Kestrel answers what is over them itself: 414 for the request line, 431
/// for the headers, 408 when they are late.
/// </summary>
public static class HeaderLimits
{
    public const int MaxRequestLineBytes = 8 * 1024;
    public const int MaxHeaderBytes = 32 * 1024;
    public const int MaxHeaderCount = 100;
    public static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(10);

    /// <summary>HTTP/2: one header field (after HPACK decoding), and the streams a connection may have open at once.</summary>
    public const int MaxHttp2HeaderFieldBytes = 16 * 1024;

    public const int MaxHttp2Streams = 100;

    public static void Apply(KestrelServerLimits limits)
    {
        limits.MaxRequestLineSize = MaxRequestLineBytes;
        limits.MaxRequestHeadersTotalSize = MaxHeaderBytes;
        limits.MaxRequestHeaderCount = MaxHeaderCount;
        limits.RequestHeadersTimeout = HeadersTimeout;
        limits.Http2.MaxRequestHeaderFieldSize = MaxHttp2HeaderFieldBytes;
        limits.Http2.MaxStreamsPerConnection = MaxHttp2Streams;
    }
}
