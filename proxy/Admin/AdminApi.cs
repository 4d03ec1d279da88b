using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Config;
using Gateway.Proxy.Admin.Entities;
using Gateway.Proxy.Admin.Http;
using Gateway.Proxy.Admin.Info;
using Gateway.Proxy.Admin.OpenApi;
using Gateway.Proxy.Admin.Schemas;
using Gateway.Proxy.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Proxy.Admin;

/// <summary>
/// The Admin API: the terminal middleware of the admin listener. It checks the token, dispatches on path
/// segments (the Kong paths are derived from the entity catalog) and always answers JSON; any failure that is
/// not the client's becomes Kong's 500 body, and a client mistake never does.
/// </summary>
public sealed class AdminApi
{
    private readonly AdminApiOptions _options;
    private readonly AdminAuth _auth;
    private readonly EntityEndpoints _entities;
    private readonly SchemaEndpoints _schemas;
    private readonly ConfigEndpoints _config;
    private readonly NodeInfoEndpoint _node;
    private readonly StatusEndpoint _status;
    private readonly ILogger<AdminApi> _logger;
    private readonly Lazy<JsonObject> _openApi;

    public AdminApi(IConfigStore store, Snapshots.SnapshotHolder snapshots, AdminApiOptions options,
        ServerStatistics statistics, ILogger<AdminApi> logger)
    {
        _options = options;
        _auth = new AdminAuth(options.Token);
        _entities = new EntityEndpoints(store, options);
        _schemas = new SchemaEndpoints(new EntityInput(store, options), options);
        _config = new ConfigEndpoints(store, new EntityInput(store, options));
        _node = new NodeInfoEndpoint(options, snapshots);
        _status = new StatusEndpoint(options, snapshots, statistics);
        _logger = logger;
        _openApi = new Lazy<JsonObject>(() => OpenApiDocument.Build(options));
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            // CORS preflight, as Kong answers it on every path.
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            context.Response.Headers.AccessControlAllowOrigin = "*";
            context.Response.Headers.AccessControlAllowMethods = "GET, HEAD, PUT, PATCH, POST, DELETE";
            context.Response.Headers.AccessControlAllowHeaders = "Content-Type, Authorization, Kong-Admin-Token";
            return;
        }

        AdminResponse response;
        if (!_auth.IsAuthorized(context.Request))
        {
            response = AdminResponse.Message(401, "Unauthorized");
        }
        else
        {
            try
            {
                response = await DispatchAsync(new AdminRequest(context, Segments(context.Request.Path)));
            }
            catch (AdminException e)
            {
                response = e.Response;
            }
            catch (StoreException e) when (e.Kind == StoreErrorKind.Unavailable)
            {
                response = AdminResponse.Message(503, "The database is unavailable");
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }
            catch (BadHttpRequestException e)
            {
                response = AdminResponse.Message(e.StatusCode, e.Message);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Admin API request {Method} {Path} failed", context.Request.Method, context.Request.Path);
                response = AdminResponse.Message(500, "An unexpected error occurred");
            }
        }
        await JsonResponseWriter.WriteAsync(context, response);
    }

    private Task<AdminResponse> DispatchAsync(AdminRequest request)
    {
        var segments = request.Segments;
        var first = segments.Count > 0 ? segments[0] : "";
        switch (first)
        {
            case "" when segments.Count == 0:
                return Fixed(request, "GET", () => _node.Handle());
            case "status" when segments.Count == 1:
                return request.Method == "GET" ? _status.HandleAsync(request.Aborted) : MethodNotAllowed();
            case "endpoints" when segments.Count == 1:
                return Fixed(request, "GET", Endpoints);
            case "openapi.json" when segments.Count == 1:
                return Fixed(request, "GET", () => AdminResponse.Ok(_openApi.Value.DeepClone()));
            case "config" when segments.Count == 1:
                return _config.HandleAsync(request);
            case "schemas":
                return _schemas.HandleAsync(request);
            case "plugins" when segments.Count == 2 && segments[1] == "enabled":
                return Fixed(request, "GET", EnabledPlugins);
        }
        return EntityPath.Parse(segments) is { } path
            ? _entities.HandleAsync(request, path)
            : Task.FromResult(AdminResponse.NotFound());
    }

    private static Task<AdminResponse> Fixed(AdminRequest request, string method, Func<AdminResponse> handler) =>
        Task.FromResult(request.Method == method ? handler() : AdminResponse.MethodNotAllowed());

    private static Task<AdminResponse> MethodNotAllowed() => Task.FromResult(AdminResponse.MethodNotAllowed());

    private static AdminResponse Endpoints() =>
        AdminResponse.Ok(new JsonObject { ["data"] = AdminResponse.ArrayOf(EndpointCatalog.All.Select(e => e.Path)) });

    private AdminResponse EnabledPlugins() =>
        AdminResponse.Ok(new JsonObject { ["enabled_plugins"] = AdminResponse.ArrayOf(_options.Plugins.Select(p => p.Name)) });

    /// <summary>
    /// Path segments, empty ones dropped (so a trailing slash, as in <c>POST /consumers/</c>, is ignored).
    /// ASP.NET Core has decoded everything but %2F already.
    /// </summary>
    public static IReadOnlyList<string> Segments(PathString path)
    {
        var segments = new List<string>();
        foreach (var segment in (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries))
            segments.Add(segment.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase));
        return segments;
    }
}
