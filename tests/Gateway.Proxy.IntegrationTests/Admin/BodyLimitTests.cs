using System.Net;
using System.Text;
using Gateway.Proxy.Admin;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Settings;
using Gateway.Proxy.Store.Memory;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>
/// The Admin API reads request bodies up to its limit (GATEWAY_ADMIN_BODY_LIMIT, 10m by default) and answers 413
/// past it, whether the body declares its length or comes chunked; a refused body changes nothing.
/// </summary>
public class BodyLimitTests
{
    private const int Limit = 64 * 1024;

    [Theory]
    [InlineData(Limit - 1024, false, 201)]
    [InlineData(Limit - 1024, true, 201)]
    [InlineData(Limit + 1024, false, 413)]
    [InlineData(Limit + 1024, true, 413)]
    public async Task A_configured_limit_holds_for_declared_and_chunked_bodies(int size, bool chunked, int status)
    {
        await using var host = await StartAsync(Limit);
        var body = Config(size);
        var reply = await host.Client.SendAsync(HttpMethod.Post, "/config", Content(body, "application/yaml", chunked));
        await ExpectAsync(host, reply, status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Multipart_and_form_bodies_past_the_limit_are_413_too(bool chunked)
    {
        await using var host = await StartAsync(Limit);
        var multipart = new MultipartFormDataContent { { new StringContent(Config(Limit + 1024)), "config", "kong.yml" } };
        await ExpectAsync(host, await host.Client.SendAsync(HttpMethod.Post, "/config", await Rewrap(multipart, chunked)), 413);
        var form = new FormUrlEncodedContent([new("config", Config(Limit + 1024))]);
        await ExpectAsync(host, await host.Client.SendAsync(HttpMethod.Post, "/config", await Rewrap(form, chunked)), 413);
    }

    [Theory]
    [InlineData(GatewaySettings.DefaultAdminBodyLimit - 4096, false, 201)]
    // A declared length over the limit is answered before anything is read; the client, still sending, reads the 413.
    [InlineData(GatewaySettings.DefaultAdminBodyLimit + 4096, false, 413)]
    [InlineData(GatewaySettings.DefaultAdminBodyLimit + 4096, true, 413)]
    public async Task The_default_limit_is_ten_mebibytes(long size, bool chunked, int status)
    {
        await using var host = await StartAsync(null);
        var reply = await host.Client.SendAsync(HttpMethod.Post, "/config", Content(Config((int)size), "application/yaml", chunked));
        await ExpectAsync(host, reply, status);
    }

    private static async Task<AdminApiHost> StartAsync(long? limit)
    {
        var parsed = DeclarativeParser.Parse("_format_version: \"3.0\"\nconsumers:\n- username: alice\n");
        Assert.True(parsed.IsValid, parsed.Describe());
        var options = new AdminApiOptions { Database = "off" };
        return await AdminApiHost.StartAsync(new MemoryConfigStore(parsed.Config), limit is { } l ? options with { BodyLimit = l } : options);
    }

    /// <summary>201 replaced alice by bob; 413 says why and left alice alone.</summary>
    private static async Task ExpectAsync(AdminApiHost host, AdminReply reply, int status)
    {
        reply.Expect(status);
        if (status == 413)
        {
            Assert.StartsWith("Request body too large: the Admin API reads at most", reply.String("message"));
            (await host.Client.GetAsync("/consumers/alice")).Expect(HttpStatusCode.OK);
        }
        else
        {
            (await host.Client.GetAsync("/consumers/bob")).Expect(HttpStatusCode.OK);
        }
    }

    /// <summary>A declarative configuration of exactly <paramref name="size"/> bytes, padded with a YAML comment.</summary>
    private static string Config(int size)
    {
        const string document = "_format_version: \"3.0\"\nconsumers:\n- username: bob\n# ";
        return document + new string('x', size - document.Length);
    }

    private static HttpContent Content(string text, string contentType, bool chunked)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return chunked ? new ChunkedContent(bytes, contentType) : new ByteArrayContent(bytes) { Headers = { { "Content-Type", contentType } } };
    }

    /// <summary>The same body, sent with its Content-Length or chunked.</summary>
    private static async Task<HttpContent> Rewrap(HttpContent content, bool chunked)
    {
        var bytes = await content.ReadAsByteArrayAsync();
        var contentType = content.Headers.ContentType!.ToString();
        return chunked ? new ChunkedContent(bytes, contentType) : new ByteArrayContent(bytes) { Headers = { { "Content-Type", contentType } } };
    }

    /// <summary>A body without a length, sent as Transfer-Encoding: chunked in 16 KiB pieces.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedContent(byte[] bytes, string contentType)
        {
            _bytes = bytes;
            Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < _bytes.Length; offset += 16 * 1024)
                await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(16 * 1024, _bytes.Length - offset)));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
