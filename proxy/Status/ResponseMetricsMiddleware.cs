namespace Gateway.Proxy.Status;

public static class ResponseMetricsMiddleware
{
    /// <summary>Counts every proxy response by status code once it has been produced.</summary>
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
                metrics.RecordResponse(context.Response.StatusCode);
            }
        });
    }
}
