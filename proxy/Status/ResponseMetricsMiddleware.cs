namespace Gateway.Proxy.Status;

public static class ResponseMetricsMiddleware
{
    private const int ClientClosedRequest = 499;

    /// <summary>
    /// Counts every proxy response by status code once it has been produced; a request whose client went away before
    /// its answer counts as 499, as nginx and Kong log it ("client closed request").
    /// </summary>
    public static IApplicationBuilder UseResponseMetrics(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<GatewayMetrics>();
        return app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            finally
            {
                var answered = context.Response.HasStarted || !context.RequestAborted.IsCancellationRequested;
                metrics.RecordResponse(answered ? context.Response.StatusCode : ClientClosedRequest);
            }
        });
    }
}
