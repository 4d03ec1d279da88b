using System.Buffers;
using Gateway.Proxy.PluginEngine;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Proxy.Plugins.RequestSizeLimiting;

/// <summary>
/// Refuses request bodies over a size with 413, as Kong's request-size-limiting. A declared Content-Length is checked
/// at once; a body of unknown length (chunked) is read up to the limit first, spilling to disk beyond a small buffer.
/// </summary>
public sealed class RequestSizeLimitingHandler(RequestSizeLimitingConfig config) : PluginHandler
{
    public const string Name = "request-size-limiting";
    public const string TooLarge = "Request size limit exceeded";

    public static readonly PluginDefinition Registration =
        PluginDefinition.Create<RequestSizeLimitingConfig>(Name, 951, (config, _) => new RequestSizeLimitingHandler(config));

    private const int MemoryBuffer = 64 * 1024;
    private readonly long _limit = config.LimitInBytes;

    public override async ValueTask AccessAsync(PluginContext context)
    {
        var request = context.Http.Request;
        if (context.Http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false) return;
        if (request.ContentLength is { } length)
        {
            if (length > _limit) context.Exit(StatusCodes.Status413PayloadTooLarge, TooLarge);
            return;
        }
        if (config.RequireContentLength)
        {
            context.Exit(StatusCodes.Status411LengthRequired, "A valid Content-Length header is required");
            return;
        }
        if (!await FitsAsync(request)) context.Exit(StatusCodes.Status413PayloadTooLarge, TooLarge);
    }

    /// <summary>Reads a body of unknown length into a rewindable buffer, stopping as soon as it passes the limit.</summary>
    private async Task<bool> FitsAsync(HttpRequest request)
    {
        request.EnableBuffering(MemoryBuffer);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                total += read;
                if (total > _limit) return false;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        request.Body.Position = 0;
        return true;
    }
}
