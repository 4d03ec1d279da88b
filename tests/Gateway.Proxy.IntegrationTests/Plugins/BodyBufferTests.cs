using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gateway.Proxy.Entities;
using Gateway.Proxy.IntegrationTests.Proxying;
using Gateway.Proxy.PluginEngine;

namespace Gateway.Proxy.IntegrationTests.Plugins;

/// <summary>
/// Plugins hold a request or response body in memory only up to the plugins' body buffer (the default, 1 MiB, here):
/// a longer body is neither edited nor searched, reaches the other side unchanged, and streams, through the real
/// proxy, with Content-Length and chunked bodies alike.
/// </summary>
public sealed class BodyBufferTests : PluginTestBase
{
    private const int Limit = PluginServices.DefaultBodyBufferSize;
    private const int OverLimit = Limit + 64 * 1024;
    private const string Json = "application/json";
    private const string Form = "application/x-www-form-urlencoded";
    private const string Key = "alice-secret-key";

    public static TheoryData<string, bool> RequestBodies => new() { { Json, true }, { Json, false }, { Form, true }, { Form, false } };

    /// <summary>A JSON object or a form holding the key and padding, of exactly <paramref name="size"/> bytes.</summary>
    private static byte[] RequestBody(string type, int size)
    {
        var (start, end) = type == Json ? ($"{{\"apikey\":\"{Key}\",\"pad\":\"", "\"}") : ($"apikey={Key}&pad=", "");
        return Encoding.ASCII.GetBytes(start + new string('x', size - start.Length - end.Length) + end);
    }

    private static HttpContent Content(byte[] body, string type, bool declare, Task? rest = null, int pauseAfter = 0) =>
        new PartsContent(body, type, declare, rest ?? Task.CompletedTask, rest is null ? body.Length : pauseAfter);

    private void Configure(string plugin, string pluginConfig)
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        var alice = config.Consumer("alice");
        config.Consumer("guest");
        config.Credential(EntityCatalog.KeyAuthCredentials, alice, $$"""{"key": "{{Key}}"}""");
        config.Plugin(plugin, pluginConfig, route: route);
        Gateway.Apply(config.Build());
    }

    private const string AddToBody = """{"add": {"body": ["source:gateway"], "headers": ["X-Edited:yes"]}}""";

    [Theory]
    [MemberData(nameof(RequestBodies))]
    public async Task Request_transformer_edits_a_body_within_the_buffer(string type, bool declare)
    {
        Configure("request-transformer", AddToBody);

        var reply = await EchoReply.ReadAsync(await Client.PostAsync("/api", Content(RequestBody(type, Limit - 64), type, declare)));

        Assert.Contains("source", reply.Body);
    }

    [Theory]
    [MemberData(nameof(RequestBodies))]
    public async Task Request_transformer_forwards_a_body_over_the_buffer_unchanged(string type, bool declare)
    {
        Configure("request-transformer", AddToBody);
        var body = RequestBody(type, OverLimit);

        var reply = await EchoReply.ReadAsync(await Client.PostAsync("/api", Content(body, type, declare)));

        Assert.Equal(Encoding.ASCII.GetString(body), reply.Body);
        Assert.Equal("yes", reply.Header("X-Edited"));
    }

    [Theory]
    [MemberData(nameof(RequestBodies))]
    public async Task Key_auth_finds_a_key_in_a_body_within_the_buffer(string type, bool declare)
    {
        Configure("key-auth", """{"key_in_body": true}""");
        var body = RequestBody(type, Limit - 64);

        var reply = await EchoReply.ReadAsync(await Client.PostAsync("/api", Content(body, type, declare)));

        Assert.Equal("alice", reply.Header("X-Consumer-Username"));
        Assert.Equal(Encoding.ASCII.GetString(body), reply.Body);
    }

    [Theory]
    [MemberData(nameof(RequestBodies))]
    public async Task Key_auth_does_not_search_a_body_over_the_buffer(string type, bool declare)
    {
        Configure("key-auth", """{"key_in_body": true}""");

        var response = await Client.PostAsync("/api", Content(RequestBody(type, OverLimit), type, declare));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("No API key found in request", await MessageOf(response));
        Assert.Equal(0, Upstream.RequestCount);
    }

    [Theory]
    [MemberData(nameof(RequestBodies))]
    public async Task Key_auth_forwards_a_body_over_the_buffer_unchanged_as_the_anonymous_consumer(string type, bool declare)
    {
        Configure("key-auth", """{"key_in_body": true, "anonymous": "guest"}""");
        var body = RequestBody(type, OverLimit);

        var reply = await EchoReply.ReadAsync(await Client.PostAsync("/api", Content(body, type, declare)));

        Assert.Equal("guest", reply.Header("X-Consumer-Username"));
        Assert.Equal(Encoding.ASCII.GetString(body), reply.Body);
    }

    public static TheoryData<string, string, bool> StreamingRequests => new()
    {
        { "request-transformer", AddToBody, true },
        { "request-transformer", AddToBody, false },
        { "key-auth", """{"key_in_body": true, "anonymous": "guest"}""", true },
        { "key-auth", """{"key_in_body": true, "anonymous": "guest"}""", false },
    };

    [Theory]
    [MemberData(nameof(StreamingRequests))]
    public async Task A_request_body_over_the_buffer_reaches_the_upstream_before_the_client_has_sent_it_all(
        string plugin, string pluginConfig, bool declare)
    {
        await using var upstream = await StreamingUpstream.StartAsync();
        ConfigureStreaming(upstream, plugin, pluginConfig);
        var body = RequestBody(Json, 2 * Limit);
        // Declared too long, the body is forwarded at once; of unknown length, once it is found longer than the buffer.
        var firstPart = declare ? Limit / 2 : OverLimit;
        var rest = new TaskCompletionSource();

        var sending = Client.PostAsync("/stream", Content(body, Json, declare, rest.Task, firstPart));
        // Less than all of it: the last few kilobytes may wait in a send buffer for more.
        var arrived = await upstream.WaitForReceivedAsync(firstPart - 64 * 1024);
        Assert.False(sending.IsCompleted);
        rest.SetResult();
        var response = await sending;

        Assert.True(arrived, $"the upstream had {upstream.ReceivedBytes} bytes while the client waited");
        var received = JsonSerializer.Deserialize<StreamingUpstream.Received>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
        Assert.Equal(body.Length, received.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), received.Sha256);
    }

    private void ConfigureStreaming(StreamingUpstream upstream, string plugin, string pluginConfig)
    {
        var config = new GatewayConfig();
        var service = config.Service("stream", $$"""{"url": "{{upstream.Url}}"}""");
        var route = config.Route(service, """{"paths": ["/stream"]}""");
        config.Consumer("guest");
        config.Plugin(plugin, pluginConfig, route: route);
        Gateway.Apply(config.Build());
    }

    private const string EditJson = """{"add": {"json": ["edited:yes"], "headers": ["X-Edited:yes"]}}""";

    public static TheoryData<string, bool> StreamingResponses => new()
    {
        { "text/event-stream", false },
        { "application/x-ndjson", false },
        { "application/octet-stream", false },
        { "application/json", true },
    };

    [Theory]
    [MemberData(nameof(StreamingResponses))]
    public async Task A_response_the_transformer_does_not_edit_reaches_the_client_before_the_upstream_finishes(string type, bool declare)
    {
        await using var upstream = await StreamingUpstream.StartAsync();
        ConfigureStreaming(upstream, "response-transformer", EditJson);
        const int firstPart = 64 * 1024;
        var size = declare ? 2 * Limit : 4 * firstPart;

        using var response = await Client.GetAsync($"/stream?type={type}&size={size}&declare={(declare ? "true" : "false")}&pause={firstPart}",
            HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var before = await ReadAtLeastAsync(stream, firstPart);
        upstream.FinishResponses();
        var all = before.Concat(await ReadToEndAsync(stream)).ToArray();

        Assert.Equal("yes", response.Headers.GetValues("X-Edited").Single());
        Assert.Equal(StreamingUpstream.Body(type, size), all);
    }

    [Fact]
    public async Task A_json_response_of_unknown_length_over_the_buffer_streams_on_once_past_it()
    {
        await using var upstream = await StreamingUpstream.StartAsync();
        ConfigureStreaming(upstream, "response-transformer", EditJson);
        const int size = 2 * Limit;

        using var response = await Client.GetAsync($"/stream?type={Json}&size={size}&pause={OverLimit}", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var before = await ReadAtLeastAsync(stream, Limit + 1);
        upstream.FinishResponses();
        var all = before.Concat(await ReadToEndAsync(stream)).ToArray();

        Assert.Equal(StreamingUpstream.Body(Json, size), all);
    }

    public static TheoryData<bool> Declared => new() { true, false };

    [Theory]
    [MemberData(nameof(Declared))]
    public async Task A_json_response_within_the_buffer_is_edited(bool declare)
    {
        await using var upstream = await StreamingUpstream.StartAsync();
        ConfigureStreaming(upstream, "response-transformer", EditJson);

        var response = await Client.GetAsync($"/stream?type={Json}&size={Limit - 64}&declare={(declare ? "true" : "false")}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal("yes", json.RootElement.GetProperty("edited").GetString());
    }

    [Theory]
    [MemberData(nameof(Declared))]
    public async Task A_json_response_over_the_buffer_is_sent_unmodified(bool declare)
    {
        await using var upstream = await StreamingUpstream.StartAsync();
        ConfigureStreaming(upstream, "response-transformer", EditJson);

        var response = await Client.GetAsync($"/stream?type={Json}&size={OverLimit}&declare={(declare ? "true" : "false")}");

        Assert.Equal(StreamingUpstream.Body(Json, OverLimit), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("yes", response.Headers.GetValues("X-Edited").Single());
        if (declare) Assert.Equal(OverLimit, response.Content.Headers.ContentLength);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes, failing after 10 s (the upstream is still holding the rest back).</summary>
    private static async Task<byte[]> ReadAtLeastAsync(Stream stream, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[count];
        try
        {
            await stream.ReadExactlyAsync(buffer, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the first {count} bytes did not reach the client while the upstream held the rest back");
        }
        return buffer;
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var rest = new MemoryStream();
        await stream.CopyToAsync(rest);
        return rest.ToArray();
    }

    /// <summary>
    /// A request body sent in two parts, the second once <c>rest</c> completes; with a Content-Length when declared,
    /// else chunked.
    /// </summary>
    private sealed class PartsContent : HttpContent
    {
        private readonly byte[] _body;
        private readonly bool _declare;
        private readonly Task _rest;
        private readonly int _pauseAfter;

        public PartsContent(byte[] body, string type, bool declare, Task rest, int pauseAfter)
        {
            _body = body;
            _declare = declare;
            _rest = rest;
            _pauseAfter = pauseAfter;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_body.AsMemory(0, _pauseAfter));
            await stream.FlushAsync();
            await _rest;
            await stream.WriteAsync(_body.AsMemory(_pauseAfter));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return _declare;
        }
    }
}
