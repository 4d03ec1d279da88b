using System.Diagnostics;
using System.Net;
using Gateway.Proxy.LoadBalancing;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Routing;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Transforms;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Proxying;

/// <summary>
/// One proxied request: what was matched and decided for it, and the request and response rewriting YARP
/// applies when forwarding it. One object per request (it is its own HttpTransformer, so no closure or
/// lookup is needed to reach the request's data). Available to later stages as an HttpContext feature.
/// </summary>
public sealed class ProxyExchange : HttpTransformer
{
    private long _sentAt;
    private string? _newCookie;

    public ProxyExchange(ConfigSnapshot snapshot, RouteMatch match, CompiledService service, string requestId,
        long startedAt, string requestPath, string upstreamPath, string? forwardedPrefix, IPAddress? clientPeer,
        IReadOnlyList<IPNetwork>? trustedPeer)
    {
        Snapshot = snapshot;
        Match = match;
        Service = service;
        RequestId = requestId;
        StartedAt = startedAt;
        RequestPath = requestPath;
        UpstreamPath = upstreamPath;
        StrippedPrefix = forwardedPrefix;
        ClientPeer = clientPeer;
        TrustedProxies = trustedPeer;
    }

    /// <summary>The configuration this request is served with from start to end, whatever swaps meanwhile.</summary>
    public ConfigSnapshot Snapshot { get; }

    public RouteMatch Match { get; }
    public CompiledService Service { get; }
    public string RequestId { get; }

    /// <summary><see cref="Stopwatch"/> timestamp of the request's arrival in the gateway.</summary>
    public long StartedAt { get; }

    /// <summary>The canonical path of the request (see <see cref="RequestPaths.CanonicalPath"/>), as routing matched it.</summary>
    public string RequestPath { get; }

    /// <summary>The path sent upstream, in canonical form; plugins may rewrite it.</summary>
    public string UpstreamPath { get; set; }

    /// <summary>The plugins of this request, when its route has any.</summary>
    public PluginContext? Plugins { get; internal set; }

    /// <summary>The path prefix strip_path removed, when it is not "/" (sent as X-Forwarded-Prefix).</summary>
    public string? StrippedPrefix { get; }

    /// <summary>The address the connection comes from (IPv4-mapped addresses as IPv4); null when it has none.</summary>
    public IPAddress? ClientPeer { get; }

    /// <summary>The trusted proxies, when the connection comes from one of them; null otherwise.</summary>
    public IReadOnlyList<IPNetwork>? TrustedProxies { get; }

    /// <summary>True when the connection comes from a trusted proxy, whose forwarded headers are believed.</summary>
    public bool PeerIsTrusted => TrustedProxies is not null;

    /// <summary>The client's content type of a gRPC call shown to YARP as plain gRPC (see <see cref="GrpcStreaming"/>).</summary>
    internal string? GrpcContentType { get; set; }

    /// <summary>The peer of the current try.</summary>
    public UpstreamPeer? Peer { get; private set; }

    internal void BeginTry(UpstreamPeer peer, string? newHashCookie)
    {
        Peer = peer;
        _newCookie = newHashCookie;
    }

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var request = httpContext.Request;
        proxyRequest.RequestUri = UpstreamUri.Build(destinationPrefix, UpstreamPath, request.QueryString);

        var headers = proxyRequest.Headers;
        var clientHost = request.Headers.Host.ToString();
        headers.Host = Match.Route.Route.PreserveHost && clientHost.Length > 0 ? clientHost : Service.HostHeader ?? Peer!.HostHeader;

        ForwardedHeaders.Write(httpContext, headers, this);
        ForwardedHeaders.Replace(headers, GatewayHeaders.RequestId, RequestId);
        // "Proxy" is never a legitimate request header (httpoxy).
        headers.Remove("Proxy");
        if (GrpcContentType is { } named) GrpcStreaming.Restore(proxyRequest, named);

        _sentAt = Stopwatch.GetTimestamp();
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is null) return proceed;

        if (proxyResponse.Version < HttpVersion.Version11 && !KeepsAlive(proxyResponse)) Peer!.ClosesConnections = true;
        var headers = httpContext.Response.Headers;
        var receivedAt = Stopwatch.GetTimestamp();
        headers[GatewayHeaders.UpstreamLatency] = GatewayHeaders.Milliseconds(_sentAt, receivedAt);
        headers[GatewayHeaders.ProxyLatency] = GatewayHeaders.Milliseconds(StartedAt, _sentAt);
        var ours = Service.IsGrpc ? GatewayHeaders.Via2 : GatewayHeaders.Via11;
        var via = headers.Via;
        headers.Via = via.Count == 0 ? ours : via.ToString() + ", " + ours;
        if (headers.Server.Count == 0) headers.Server = GatewayHeaders.Server;
        headers[GatewayHeaders.RequestId] = RequestId;
        if (_newCookie is not null && Service.Balancer is ConsistentHashingBalancer hashing)
            headers.Append(HeaderNames.SetCookie, hashing.CookieName + "=" + _newCookie + "; Path=" + hashing.CookiePath);
        if (Plugins is { } plugins && proceed) return await FilterResponseAsync(plugins, httpContext.Response, proxyResponse, cancellationToken);
        return proceed;
    }

    // An HTTP/1.0 response keeps its connection open only when it says so.
    private static bool KeepsAlive(HttpResponseMessage response)
    {
        foreach (var token in response.Headers.Connection)
            if (token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>
    /// The plugins' header filters, and their body filters when one wants the body: then the body is read here,
    /// rewritten and sent, and YARP is told not to copy it. A body longer than the plugins' body buffer is not held:
    /// it is sent unchanged, streaming.
    /// </summary>
    private static async ValueTask<bool> FilterResponseAsync(PluginContext plugins, HttpResponse response,
        HttpResponseMessage proxyResponse, CancellationToken cancellationToken)
    {
        PluginChain.RunHeaderFilters(plugins, response);
        if (!PluginChain.WantsResponseBody(plugins, response)) return true;
        var bufferSize = plugins.Services.BodyBufferSize;
        var length = proxyResponse.Content.Headers.ContentLength;
        if (length > bufferSize) return true;
        var upstream = await proxyResponse.Content.ReadAsStreamAsync(cancellationToken);
        var read = await BoundedBody.ReadAsync(upstream, length, bufferSize, cancellationToken);
        if (!read.IsComplete)
        {
            await read.FollowedBy(upstream).CopyToAsync(response.Body, cancellationToken);
            return false;
        }
        var body = PluginChain.RunBodyFilters(plugins, response, read.Bytes.ToArray());
        response.Headers.Remove(HeaderNames.TransferEncoding);
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken);
        return false;
    }
}
