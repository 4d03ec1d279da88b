using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using Gateway.Proxy.Routing;

namespace Gateway.Proxy.Proxying;

/// <summary>
/// The HTTP clients used to reach upstreams: one per distinct setting (connect timeout, certificate
/// verification), kept for the life of the process so that connection pools survive configuration swaps.
/// </summary>
public sealed class UpstreamClients : IDisposable
{
    private readonly ConcurrentDictionary<UpstreamClientSettings, HttpMessageInvoker> _clients = new();

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
        if (!settings.VerifyTls)
        {
            // As Kong by default (tls_verify unset or false): accept whatever certificate the upstream presents.
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true };
        }
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
        _clients.Clear();
    }
}
