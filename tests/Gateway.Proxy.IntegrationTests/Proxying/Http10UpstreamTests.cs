using System.Net;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>
/// An HTTP/1.0 upstream that closes its connection after each response (Python's http.server, as a Flask development
/// server runs): under concurrent load every request is answered, as nginx answers them, retried only while the gateway
/// learns from the first answers that the server closes its connections.
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
    public async Task Concurrent_requests_to_a_server_that_closes_each_connection_all_succeed()
    {
        var config = new GatewayConfig();
        config.Route(config.Service("python", $$"""{"url": "{{_python.Url}}"}"""), """{"paths": ["/"]}""");
        _gateway.Apply(config.Build());

        var failures = 0;
        var answered = 0;
        string? firstFailure = null;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = new Uri(_gateway.Url) };
            for (var i = 0; i < 60; i++)
            {
                using var response = await client.GetAsync("/index.html");
                if (response.StatusCode == HttpStatusCode.OK && await response.Content.ReadAsStringAsync() == "hello from python\n")
                    Interlocked.Increment(ref answered);
                else
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstFailure, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}", null);
                }
            }
        })));

        Assert.True(failures == 0, $"{failures} requests failed, the first with {firstFailure}");
        Assert.Equal(16 * 60, answered);
        // Only requests already waiting for a pooled connection when the server's first answer showed it closes them
        // can meet a closing connection: the first of the sixteen clients' requests at most.
        Assert.InRange(_gateway.Metrics.NoResponseRetries, 0, 16);
    }
}
