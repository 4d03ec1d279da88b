using System.Net;
using Gateway.Proxy.IntegrationTests.Proxying;

namespace Gateway.Proxy.IntegrationTests.Plugins;

public sealed class RequestSizeLimitingTests : PluginTestBase
{
    private void Configure(string plugin)
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        config.Plugin("request-size-limiting", plugin, route: route);
        Gateway.Apply(config.Build());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_and_one_under_it_passes()
    {
        Configure("""{"allowed_payload_size": 1, "size_unit": "kilobytes"}""");

        var tooLarge = await Client.PostAsync("/api", new ByteArrayContent(new byte[1025]));
        var fits = await Client.PostAsync("/api", new ByteArrayContent(new byte[1024]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("Request size limit exceeded", await MessageOf(tooLarge));
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Equal(1, Upstream.RequestCount);
    }

    [Fact]
    public async Task A_chunked_body_is_measured_and_forwarded_whole_when_it_fits()
    {
        Configure("""{"allowed_payload_size": 100, "size_unit": "bytes"}""");

        var small = new StreamContent(new MemoryStream("hello chunked"u8.ToArray()));
        small.Headers.ContentLength = null;
        var large = new StreamContent(new MemoryStream(new byte[500]));
        large.Headers.ContentLength = null;

        var reply = await EchoReply.ReadAsync(await Client.PostAsync("/api", small));
        var refused = await Client.PostAsync("/api", large);

        Assert.Equal("hello chunked", reply.Body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
    }

    [Fact]
    public async Task Content_length_can_be_required()
    {
        Configure("""{"require_content_length": true}""");

        var chunked = new StreamContent(new MemoryStream("x"u8.ToArray()));
        chunked.Headers.ContentLength = null;
        var response = await Client.PostAsync("/api", chunked);

        Assert.Equal(HttpStatusCode.LengthRequired, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api")).StatusCode);
    }
}
