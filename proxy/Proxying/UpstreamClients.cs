using System.Collections.Concurrent;
using System.Net;
using Gateway.Proxy.Routing;
using Gateway.Proxy.Status;
using Gateway.Proxy.Tls;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Proxy.Proxying;

/// <summary>
/// The HTTP clients used to reach upstreams: one per distinct setting (connect timeout, TLS: verification, trust
/// anchors, depth, client certificate), kept for the life of the process so that connection pools survive
/// configuration swaps. A changed certificate makes different settings, hence a new pool.
/// </summary>
public sealed class UpstreamClients(ILogger<UpstreamClients>? logger = null, GatewayMetrics? metrics = null) : IDisposable
{
    private readonly ConcurrentDictionary<UpstreamClientSettings, HttpMessageInvoker> _clients = new();
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly GatewayMetrics? _metrics = metrics;

    public int Count => _clients.Count;

    public HttpMessageInvoker For(UpstreamClientSettings settings) =>
        _clients.TryGetValue(settings, out var client) ? client : _clients.GetOrAdd(settings, Create);

    private static HttpMessageInvoker Create(UpstreamClientSettings settings)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            // Upstream names are resolved again now and then, so DNS changes are followed. A lifetime of zero keeps no
            // connection for a second request.
            PooledConnectionLifetime = settings.ReusesConnections ? TimeSpan.FromMinutes(2) : TimeSpan.Zero,
            ConnectTimeout = TimeSpan.FromMilliseconds(settings.ConnectTimeoutMs),
            // The gateway forwards the client's trace headers; it does not add its own.
            ActivityHeadersPropagator = null,
        };
        handler.SslOptions = settings.Tls.ClientOptions();
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>
    /// Logs and counts a try that failed in the TLS handshake with the upstream (a refused certificate, no protocol in
    /// common), naming the service and the reason; other failures are not this class's.
    /// </summary>
    public void ReportFailure(ProxyExchange exchange, Exception? error)
    {
        if (UpstreamTlsFailure.Of(error) is not { } failure) return;
        var service = exchange.Service.Service;
        var name = service.Name ?? service.Id.ToString();
        _logger.LogWarning("service '{Service}': TLS handshake with upstream {Upstream} failed: {Reason}",
            name, exchange.Peer?.DestinationPrefix, failure.Reason);
        _metrics?.RecordUpstreamTlsFailure(name, failure.Kind);
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
        _clients.Clear();
    }
}
