using Gateway.Proxy.Snapshots;

namespace Gateway.Proxy.Status;

/// <summary>The status listener: liveness, readiness (a snapshot is in service) and metrics.</summary>
public static class StatusEndpoints
{
    public static void UseStatusEndpoints(this IApplicationBuilder app)
    {
        var holder = app.ApplicationServices.GetRequiredService<SnapshotHolder>();
        var metrics = app.ApplicationServices.GetRequiredService<GatewayMetrics>();
        app.Run(async context =>
        {
            var response = context.Response;
            switch (context.Request.Path.Value)
            {
                case "/healthz":
                    await WriteJson(response, 200, "{\"status\":\"ok\"}");
                    break;
                case "/readyz":
                    var snapshot = holder.Current;
                    if (snapshot is null) await WriteJson(response, 503, "{\"ready\":false,\"message\":\"no configuration loaded yet\"}");
                    else await WriteJson(response, 200, $"{{\"ready\":true,\"config_version\":{snapshot.Version}}}");
                    break;
                case "/metrics":
                    response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                    await response.WriteAsync(metrics.Render());
                    break;
                default:
                    await WriteJson(response, 404, "{\"message\":\"Not found\"}");
                    break;
            }
        });
    }

    private static Task WriteJson(HttpResponse response, int status, string body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsync(body);
    }
}
