using Gateway.Proxy.IntegrationTests.Proxying;

namespace Gateway.Proxy.IntegrationTests.Plugins;

public sealed class CorrelationIdTests : PluginTestBase
{
    private void Configure(string plugin)
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        config.Plugin("correlation-id", plugin, route: route);
        Gateway.Apply(config.Build());
    }

    [Fact]
    public async Task Each_request_gets_a_distinct_id_upstream_and_back_when_echoed()
    {
        Configure("""{"echo_downstream": true}""");

        var first = await GetAsync("/api");
        var second = await GetAsync("/api");
        var firstId = (await EchoReply.ReadAsync(first)).Header("Kong-Request-ID");
        var secondId = (await EchoReply.ReadAsync(second)).Header("Kong-Request-ID");

        Assert.NotNull(firstId);
        Assert.NotEqual(firstId, secondId);
        Assert.Equal(firstId, first.Headers.GetValues("Kong-Request-ID").Single());
    }

    [Fact]
    public async Task An_id_sent_by_the_client_is_kept()
    {
        Configure("""{"header_name": "X-Trace", "generator": "uuid"}""");

        var reply = await EchoReply.ReadAsync(await GetAsync("/api", ("X-Trace", "abc-123")));

        Assert.Equal("abc-123", reply.Header("X-Trace"));
    }

    [Fact]
    public async Task The_uuid_generator_makes_uuids_and_nothing_is_echoed_by_default()
    {
        Configure("""{"generator": "uuid"}""");

        var response = await GetAsync("/api");
        var id = (await EchoReply.ReadAsync(response)).Header("Kong-Request-ID");

        Assert.True(Guid.TryParse(id, out _), id);
        Assert.False(response.Headers.Contains("Kong-Request-ID"));
    }
}
