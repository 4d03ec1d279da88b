using System.Globalization;
using Gateway.Proxy.Transforms;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Proxy.Status;

public static class ResponseMetricsMiddleware
{
    private const int ClientClosedRequest = 499;

    /// <summary>
    /// Counts every proxy response by status code once it has been produced (a request whose client went away before
    /// its answer as 499, as nginx and Kong log it: "client closed request"), gRPC responses also by grpc-status, and
    /// keeps count of the upgraded connections (WebSockets) open.
    /// </summary>
    public static IApplicationBuilder UseResponseMetrics(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<GatewayMetrics>();
        return app.Use(async (context, next) =>
        {
            var upgrade = Upgrade.Watch(context, metrics);
            try
            {
                await next(context);
            }
            finally
            {
                var answered = context.Response.HasStarted || !context.RequestAborted.IsCancellationRequested;
                metrics.RecordResponse(answered ? context.Response.StatusCode : ClientClosedRequest);
                if (BodyMediaTypes.IsGrpc(context.Response.ContentType) && GrpcStatus(context) is { } status) metrics.RecordGrpcResponse(status);
                upgrade?.Ended();
            }
        });
    }

    /// <summary>The grpc-status sent: in the trailers, or in the headers of a trailers-only response.</summary>
    private static int? GrpcStatus(HttpContext context)
    {
        var text = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers["grpc-status"].ToString();
        if (string.IsNullOrEmpty(text)) text = context.Response.Headers["grpc-status"].ToString();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : null;
    }

    /// <summary>A request that asks to switch protocols: counted open from the moment the switch is answered to its end.</summary>
    private sealed class Upgrade(HttpContext context, GatewayMetrics metrics, bool extendedConnect)
    {
        private bool _open;

        /// <summary>Watches WebSocket handshakes (an HTTP/1.1 Upgrade, or RFC 8441's extended CONNECT); null for other requests.</summary>
        public static Upgrade? Watch(HttpContext context, GatewayMetrics metrics)
        {
            var extendedConnect = context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true;
            if (!extendedConnect && context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest != true) return null;
            var upgrade = new Upgrade(context, metrics, extendedConnect);
            context.Response.OnStarting(static state => ((Upgrade)state).Started(), upgrade);
            return upgrade;
        }

        private Task Started()
        {
            var status = context.Response.StatusCode;
            if (status == StatusCodes.Status101SwitchingProtocols || (extendedConnect && status == StatusCodes.Status200OK))
            {
                _open = true;
                metrics.RecordUpgradeOpened();
            }
            return Task.CompletedTask;
        }

        public void Ended()
        {
            if (_open) metrics.RecordUpgradeClosed();
        }
    }
}
