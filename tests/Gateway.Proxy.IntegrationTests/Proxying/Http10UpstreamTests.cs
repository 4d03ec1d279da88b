using System.Net;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>
/// An HTTP/1.0 upstream that closes its connection after each response (Python's http.server, as a Flask development
/// server runs): under concurrent load every request is answered, as nginx answers them, without a single retry.
/// </summary>
public sealed class Http10UpstreamTests : IAsyncLifetime
{
    private PythonHttpServer _python = null!;
    private GatewayTestHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _python = await PythonHttpServer.StartAsync("hello from python\n");
        _gateway = await GatewayTestHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _python.DisposeAsync();
    }

    [Fact]
    public async Task Concurrent_requests_to_a_server_that_closes_each_connection_all_succeed_without_retries()
    {
        var config = new GatewayConfig();
        // No retries: every request must succeed on its first try.
        config.Route(config.Service("python", $$"""{"url": "{{_python.Url}}", "retries": 0}"""), """{"paths": ["/"]}""");
        _gateway.Apply(config.Build());

        var failures = 0;
        var answered = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = new Uri(_gateway.Url) };
            for (var i = 0; i < 60; i++)
            {
                using var response = await client.GetAsync("/index.html");
                if (response.StatusCode == HttpStatusCode.OK && await response.Content.ReadAsStringAsync() == "hello from python\n")
                    Interlocked.Increment(ref answered);
                else
                    Interlocked.Increment(ref failures);
            }
        })));

        Assert.Equal(0, failures);
        Assert.Equal(16 * 60, answered);
        Assert.Equal(0, _gateway.Metrics.NoResponseRetries);
    }
}
