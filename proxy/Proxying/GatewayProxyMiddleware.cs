using System.Diagnostics;
using Gateway.Proxy.Consumers;
using Gateway.Proxy.LoadBalancing;
using Gateway.Proxy.Networking;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.RequestPaths;
using Gateway.Proxy.Routing;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Status;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Proxying;

/// <summary>
/// The data plane: matches each request against the routing table of the snapshot in service, then
/// forwards it through YARP to the service's host or to a target of its upstream, retrying failed
/// connections on the next target. Terminal: it answers every request it sees.
/// </summary>
public sealed class GatewayProxyMiddleware
{
    private readonly SnapshotHolder _snapshots;
    private readonly IHttpForwarder _forwarder;
    private readonly UpstreamClients _clients;
    private readonly GatewayMetrics _metrics;
    private readonly PluginServices _plugins;

    public GatewayProxyMiddleware(SnapshotHolder snapshots, IHttpForwarder forwarder, UpstreamClients clients, PluginServices plugins,
        GatewayMetrics metrics)
    {
        _snapshots = snapshots;
        _forwarder = forwarder;
        _clients = clients;
        _plugins = plugins;
        _metrics = metrics;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var startedAt = Stopwatch.GetTimestamp();
        var requestId = RequestIds.Next();
        // Read once: this request keeps this snapshot to its end, whatever is swapped in meanwhile.
        var snapshot = _snapshots.Current;
        // A tunnel is not a request to forward: no route can serve it. (A WebSocket over HTTP/2 is RFC 8441's
        // extended CONNECT, a request like any other.)
        if (HttpMethods.IsConnect(context.Request.Method) && context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect != true)
            return RefuseTunnelAsync(context, requestId, startedAt);
        var refusal = RequestTarget.ReadPath(context, out var path, out var encodedSlash);
        if (refusal != PathRefusal.None) return RefusePathAsync(context, refusal, requestId, startedAt);

        var peer = ClientAddress.Normalize(context.Connection.RemoteIpAddress);
        var trustedPeer = ClientAddress.IsTrusted(peer, _plugins.TrustedProxies);
        var request = RouteRequest.From(context, path);
        if (snapshot is null || !snapshot.Routes.TryMatch(request, out var match))
        {
            return encodedSlash
                ? RefusePathAsync(context, PathRefusal.EncodedSlash, requestId, startedAt)
                : GatewayResponses.WriteErrorAsync(context, StatusCodes.Status404NotFound, GatewayResponses.NoRoute, requestId, startedAt);
        }

        var route = match.Route;
        if (encodedSlash && !route.Route.AllowEncodedSlashes) return RefusePathAsync(context, PathRefusal.EncodedSlash, requestId, startedAt);
        if (route.RequiresHttps(ForwardedHeaders.IsHttps(context.Request, trustedPeer)))
            return RequireHttpsAsync(context, route, path, requestId, startedAt);
        if (route.Service is null)
            return GatewayResponses.WriteMessageAsync(context, StatusCodes.Status503ServiceUnavailable, GatewayResponses.NoService, requestId, startedAt);

        // Only the gateway says who the client is: what the client sent under those names goes before any plugin runs.
        ConsumerHeaders.RemoveClientCopies(context.Request.Headers);
        var stripped = route.Route.StripPath && match.MatchedPath is not null;
        var upstreamPath = UpstreamPath.Build(route.Service.BasePath, path, match.MatchedPath, route.Route.StripPath,
            route.Route.PathHandling == "v1");
        var exchange = new ProxyExchange(snapshot, match, route.Service, requestId, startedAt, path, upstreamPath,
            stripped && match.MatchedPath != "/" ? match.MatchedPath : null, peer, trustedPeer ? _plugins.TrustedProxies : null);
        context.Features.Set(exchange);
        if (route.Plugins is { } chain) return RunPluginsAsync(context, exchange, chain);
        return ForwardAsync(context, exchange);
    }

    private static Task RefuseTunnelAsync(HttpContext context, string requestId, long startedAt)
    {
        context.Response.Headers.Allow = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE";
        return GatewayResponses.WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, GatewayResponses.MethodNotAllowed, requestId, startedAt);
    }

    private static Task RefusePathAsync(HttpContext context, PathRefusal refusal, string requestId, long startedAt) =>
        GatewayResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, PathRefusals.Message(refusal), requestId, startedAt);

    /// <summary>The access phase of the route's plugins, then forwarding unless a plugin answered the request.</summary>
    private async Task RunPluginsAsync(HttpContext context, ProxyExchange exchange, PluginChain chain)
    {
        var plugins = new PluginContext(context, exchange, chain, _plugins);
        exchange.Plugins = plugins;
        await chain.RunAccessAsync(plugins);
        if (!plugins.HasExited)
        {
            await ForwardAsync(context, exchange);
            return;
        }
        if (plugins.ExitReply is { } reply)
            await GatewayResponses.WriteReplyAsync(context, plugins.ExitStatus, reply, exchange.RequestId, exchange.StartedAt);
        else if (plugins.ExitMessage is { } message)
            await GatewayResponses.WriteErrorAsync(context, plugins.ExitStatus, message, exchange.RequestId, exchange.StartedAt,
                plugins.ExitFields);
        else
            await GatewayResponses.WriteEmptyAsync(context, plugins.ExitStatus, exchange.RequestId, exchange.StartedAt);
    }

    private Task ForwardAsync(HttpContext context, ProxyExchange exchange)
    {
        exchange.GrpcContentType = GrpcStreaming.Begin(context.Request);
        return exchange.GrpcContentType is null ? ForwardTriesAsync(context, exchange) : ForwardGrpcStreamAsync(context, exchange);
    }

    private async Task ForwardGrpcStreamAsync(HttpContext context, ProxyExchange exchange)
    {
        try
        {
            await ForwardTriesAsync(context, exchange);
        }
        finally
        {
            GrpcStreaming.End(context.Request, exchange.GrpcContentType);
        }
    }

    private async Task ForwardTriesAsync(HttpContext context, ProxyExchange exchange)
    {
        var service = exchange.Service;
        EmptyRequestBody.DeclareWhenNeeded(context);
        var body = ReplayableBodyOf(context, service.Retries > 0 && RetryPolicy.IsIdempotent(context.Request.Method) ? _plugins.BodyBufferSize : 0);
        var balancing = new BalancerState();
        for (var attempt = 0; ; attempt++)
        {
            var peer = service.PickPeer(context, ref balancing);
            if (peer < 0)
            {
                await GatewayResponses.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, GatewayResponses.NoPeer,
                    exchange.RequestId, exchange.StartedAt);
                return;
            }

            exchange.BeginTry(service.Peers[peer], balancing.NewCookieValue);
            var pooled = !exchange.Peer!.ClosesConnections;
            var client = _clients.For(pooled ? service.ClientSettings : service.ClientSettings with { ReusesConnections = false });
            ForwarderError error;
            try
            {
                error = await _forwarder.SendAsync(context, exchange.Peer!.DestinationPrefix, client, service.RequestConfig, exchange);
            }
            finally
            {
                service.ReleasePeer(peer);
            }
            service.Health?.Report(peer, error, context);
            if (error == ForwarderError.None) return;

            var errorFeature = context.Features.Get<IForwarderErrorFeature>();
            var failure = ForwardingFailure.Classify(error, errorFeature?.Exception);
            _clients.ReportFailure(exchange, errorFeature?.Exception);
            if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested || failure.Stage == FailureStage.ClientSide) return;
            if (attempt < service.Retries
                && RetryPolicy.MayRetry(failure, context.Request.Method, body is not null, body?.CanReplay != false, service.Peers.Length > 1,
                    staleConnection: pooled && exchange.Peer.ClosesConnections))
            {
                // Forget this try and send the request again: to the next target, or on another connection.
                _metrics.RecordRetry(connecting: failure.Stage == FailureStage.Connecting);
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Features.Set<IForwarderErrorFeature>(null);
                body?.Rewind();
                continue;
            }
            await GatewayResponses.WriteErrorAsync(context, failure.Status, failure.Message!, exchange.RequestId, exchange.StartedAt);
            return;
        }
    }

    /// <summary>
    /// Wraps the body of a request that has one, so that a retry can send it again: up to <paramref name="keepAtMost"/>
    /// bytes of it are kept (none for a request that may not be sent twice once the upstream has read from it).
    /// </summary>
    private static ReplayableBody? ReplayableBodyOf(HttpContext context, int keepAtMost)
    {
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false) return null;
        var body = new ReplayableBody(context.Request.Body, keepAtMost);
        context.Request.Body = body;
        context.Response.RegisterForDispose(body);
        return body;
    }

    /// <summary>An https-only route reached over http: 426 with Kong's message, or the configured redirect.</summary>
    private static Task RequireHttpsAsync(HttpContext context, CompiledRoute route, string path, string requestId, long startedAt)
    {
        var status = route.Route.HttpsRedirectStatusCode;
        var headers = context.Response.Headers;
        if (status == StatusCodes.Status426UpgradeRequired)
        {
            headers.Connection = "Upgrade";
            headers.Upgrade = "TLS/1.2, HTTP/1.1";
            return GatewayResponses.WriteErrorAsync(context, status, GatewayResponses.UseHttps, requestId, startedAt);
        }
        headers[HeaderNames.Location] = "https://" + HostHeader.NameOf(context.Request.Headers.Host.ToString()) + path
                                        + context.Request.QueryString.Value;
        return GatewayResponses.WriteEmptyAsync(context, status, requestId, startedAt);
    }
}
