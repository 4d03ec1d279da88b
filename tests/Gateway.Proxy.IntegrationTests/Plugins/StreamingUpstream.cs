using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Proxy.IntegrationTests.Plugins;

/// <summary>
/// A real upstream on a loopback port that sends and receives bodies in parts, and can stop halfway until the test
/// lets it go on, so a test can see what reached the other side before a body was finished.
/// <c>GET /?type=T&amp;size=N&amp;declare=true&amp;pause=P</c> answers N bytes of content type T (a JSON object for JSON
/// types), with a Content-Length when declared, pausing after P bytes until <see cref="FinishResponses"/>.
/// <c>POST</c> reads the request body as it comes (see <see cref="ReceivedBytes"/>) and answers its length and SHA-256.
/// </summary>
public sealed class StreamingUpstream : IAsyncDisposable
{
    private const int ChunkBytes = 16 * 1024;

    private readonly WebApplication _app;
    private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _received;

    private StreamingUpstream(WebApplication app)
    {
        _app = app;
    }

    public string Url { get; private set; } = "";

    /// <summary>How many request body bytes have arrived so far.</summary>
    public long ReceivedBytes => Interlocked.Read(ref _received);

    public static async Task<StreamingUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var upstream = new StreamingUpstream(app);
        app.Run(context => HttpMethods.IsPost(context.Request.Method) ? upstream.ReceiveAsync(context) : upstream.SendAsync(context));
        await app.StartAsync();
        upstream.Url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return upstream;
    }

    /// <summary>The body a GET with these parameters answers.</summary>
    public static byte[] Body(string type, int size)
    {
        var body = new byte[size];
        body.AsSpan().Fill((byte)'x');
        if (!type.Contains("json", StringComparison.Ordinal) || type.Contains("ndjson", StringComparison.Ordinal)) return body;
        "{\"pad\":\""u8.CopyTo(body);
        "\"}"u8.CopyTo(body.AsSpan(size - 2));
        return body;
    }

    /// <summary>Lets paused responses send the rest of their bodies.</summary>
    public void FinishResponses() => _finish.TrySetResult();

    /// <summary>Waits until at least <paramref name="bytes"/> of a request body have arrived; false after 10 s.</summary>
    public async Task<bool> WaitForReceivedAsync(long bytes)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (ReceivedBytes < bytes)
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(10);
        }
        return true;
    }

    private async Task SendAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var type = query["type"].ToString();
        var body = Body(type, int.Parse(query["size"]!, CultureInfo.InvariantCulture));
        var pause = query.ContainsKey("pause") ? int.Parse(query["pause"]!, CultureInfo.InvariantCulture) : body.Length;
        context.Response.ContentType = type;
        if (query["declare"] == "true") context.Response.ContentLength = body.Length;

        await WriteAsync(context, body.AsMemory(0, pause));
        if (pause < body.Length)
        {
            await _finish.Task.WaitAsync(context.RequestAborted);
            await WriteAsync(context, body.AsMemory(pause));
        }
    }

    private static async Task WriteAsync(HttpContext context, ReadOnlyMemory<byte> bytes)
    {
        for (var offset = 0; offset < bytes.Length; offset += ChunkBytes)
        {
            await context.Response.Body.WriteAsync(bytes.Slice(offset, Math.Min(ChunkBytes, bytes.Length - offset)), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkBytes];
        long length = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
            Interlocked.Add(ref _received, read);
        }
        await context.Response.WriteAsJsonAsync(new Received(length, Convert.ToHexStringLower(hash.GetHashAndReset())));
    }

    public async ValueTask DisposeAsync()
    {
        FinishResponses();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>What a POST answers: the body's length and SHA-256 (lower-case hex) as the upstream received it.</summary>
    public sealed record Received(long Length, string Sha256);
}
