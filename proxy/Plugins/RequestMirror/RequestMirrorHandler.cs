using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Transforms;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.Proxy.Plugins.RequestMirror;

/// <summary>
/// Tollgate's own plugin for the Gateway API's RequestMirror filters: sends a copy of each request (or of a share of
/// them) to one endpoint of each mirror and forgets it: the client's answer comes from the route's own upstream, never
/// waits for the copy, and never sees the mirror fail. The copy has the request's method, upstream path, query,
/// headers (hop-by-hop ones aside) and body; a body larger than plugins may buffer is not copied, and neither is its
/// request. Priority 1: after authentication, rate limiting and the transformers, so only requests that go on are
/// copied, as changed. At most <see cref="MaxInFlight"/> copies are under way per process; beyond that copies are dropped
/// rather than queued, so a slow mirror costs the proxy nothing.
/// </summary>
public sealed class RequestMirrorHandler(RequestMirrorConfig config, PluginServices services) : PluginHandler
{
    public const string Name = "request-mirror";

    public const int MaxInFlight = 256;

    public static readonly PluginDefinition Registration =
        PluginDefinition.Create<RequestMirrorConfig>(Name, 1, (config, setup) => new RequestMirrorHandler(config, setup.Services));

    private static readonly TimeSpan CopyTimeout = TimeSpan.FromSeconds(10);

    // One client for the copies of every route: no redirects, cookies or proxies, short connection lifetimes.
    private static readonly HttpClient Copies = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    }) { Timeout = CopyTimeout };

    private static readonly SemaphoreSlim InFlight = new(MaxInFlight);

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Connection, HeaderNames.KeepAlive, HeaderNames.TransferEncoding, HeaderNames.TE, HeaderNames.Trailer,
        HeaderNames.Upgrade, HeaderNames.ProxyAuthenticate, HeaderNames.ProxyAuthorization, "Proxy-Connection",
        HeaderNames.ContentLength, HeaderNames.ContentType, HeaderNames.Host,
    };

    public override async ValueTask AccessAsync(PluginContext context)
    {
        var request = context.Http.Request;
        ReadOnlyMemory<byte>? body = null;
        var bodyRead = !(request.ContentLength > 0 || request.Headers.ContainsKey(HeaderNames.TransferEncoding));
        foreach (var mirror in config.Mirrors)
        {
            if (mirror.Percent < 100 && Random.Shared.NextDouble() * 100 >= mirror.Percent) continue;
            // The body is read once, for the first copy; one too large for the buffer means no copies at all.
            if (!bodyRead)
            {
                bodyRead = true;
                if ((body = await BoundedBody.ReadRequestAsync(request, services.BodyBufferSize)) is null) return;
            }
            if (!InFlight.Wait(0)) return;
            var target = mirror.Targets[Random.Shared.Next(mirror.Targets.Length)];
            _ = SendAsync(Copy(request, target, context.Exchange.UpstreamPath, body));
        }
    }

    private static HttpRequestMessage Copy(HttpRequest request, string target, string path, ReadOnlyMemory<byte>? body)
    {
        var copy = new HttpRequestMessage(new HttpMethod(request.Method), new Uri("http://" + target + path + request.QueryString.Value));
        if (body is { } bytes)
        {
            copy.Content = new ReadOnlyMemoryContent(bytes);
            if (request.ContentType is { } type) copy.Content.Headers.TryAddWithoutValidation(HeaderNames.ContentType, type);
        }
        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name)) continue;
            copy.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
        copy.Headers.Host = request.Host.Value;
        return copy;
    }

    private static async Task SendAsync(HttpRequestMessage copy)
    {
        try
        {
            using var response = await Copies.SendAsync(copy, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            // The mirror's failures are its own: the client was answered by the route's upstream.
        }
        finally
        {
            copy.Dispose();
            InFlight.Release();
        }
    }
}
