using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Browsers;
using Gateway.Proxy.Admin.Config;
using Gateway.Proxy.Admin.Entities;
using Gateway.Proxy.Admin.Health;
using Gateway.Proxy.Admin.Http;
using Gateway.Proxy.Admin.Info;
using Gateway.Proxy.Admin.OpenApi;
using Gateway.Proxy.Admin.Schemas;
using Gateway.Proxy.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Gateway.Proxy.Admin;

/// <summary>
/// The Admin API: the terminal middleware of the admin listener. It keeps other web pages out and checks the token
/// (see <see cref="Refusal"/>), dispatches on path segments (the Kong paths are derived from the entity catalog) and
/// always answers JSON; any failure that is not the client's becomes Kong's 500 body, and a client mistake never does.
/// </summary>
public sealed class AdminApi
{
    private readonly AdminApiOptions _options;
    private readonly AdminAuth _auth;
    private readonly AdminCors _cors;
    private readonly EntityEndpoints _entities;
    private readonly SchemaEndpoints _schemas;
    private readonly ConfigEndpoints _config;
    private readonly NodeInfoEndpoint _node;
    private readonly StatusEndpoint _status;
    private readonly HealthEndpoints _health;
    private readonly ILogger<AdminApi> _logger;
    private readonly Lazy<JsonObject> _openApi;

    public AdminApi(IConfigStore store, Snapshots.SnapshotHolder snapshots, AdminApiOptions options,
        ServerStatistics statistics, ILogger<AdminApi> logger)
    {
        _options = options;
        _auth = new AdminAuth(options.Token);
        _cors = new AdminCors(options.GuiOrigins);
        _entities = new EntityEndpoints(store, options);
        _schemas = new SchemaEndpoints(new EntityInput(store, options), options);
        _config = new ConfigEndpoints(store, new EntityInput(store, options));
        _node = new NodeInfoEndpoint(options, snapshots);
        _status = new StatusEndpoint(options, snapshots, statistics);
        _health = new HealthEndpoints(store, snapshots, options);
        _logger = logger;
        _openApi = new Lazy<JsonObject>(() => OpenApiDocument.Build(options));
    }

    public async Task InvokeAsync(HttpContext context)
    {
        _cors.AddHeaders(context.Request, context.Response);
        if (HttpMethods.IsOptions(context.Request.Method) && HostAllowed(context.Request))
        {
            // Preflights carry no token; the CORS headers above are the whole answer.
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        AdminResponse response;
        // The body limit first: a refused request's body is drained too, and must not be drained without bound.
        if ((BodyLimit.Apply(context, _options.BodyLimit) ?? Refusal(context.Request)) is { } refusal)
        {
            response = refusal;
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
                response = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? BodyLimit.TooLarge(_options.BodyLimit)
                    : AdminResponse.Message(e.StatusCode, e.Message);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Admin API request {Method} {Path} failed", context.Request.Method, context.Request.Path);
                response = AdminResponse.Message(500, "An unexpected error occurred");
            }
        }
        await JsonResponseWriter.WriteAsync(context, response);
    }

    /// <summary>
    /// The checks made before a request is handled, in order: the Host (without a token, loopback names only, against
    /// DNS rebinding), the token, and cross-site writes (without a token).
    /// </summary>
    private AdminResponse? Refusal(HttpRequest request)
    {
        if (!HostAllowed(request))
            return AdminResponse.Message(StatusCodes.Status403Forbidden,
                $"Host '{request.Host}' is not a loopback name or address; without GATEWAY_ADMIN_TOKEN the Admin API answers only "
                + "requests addressed to localhost, 127.0.0.0/8 or [::1]");
        if (!_auth.IsAuthorized(request)) return AdminResponse.Message(StatusCodes.Status401Unauthorized, "Unauthorized");
        if (!_auth.RequiresToken && CrossSiteWrite.Refusal(request.Method, request.Scheme, request.Host.Value ?? "",
                Header(request, HeaderNames.Origin), Header(request, "Sec-Fetch-Site"), request.ContentType, _cors.Origins) is { } reason)
            return AdminResponse.Message(StatusCodes.Status403Forbidden, reason);
        return null;
    }

    // With a token, any Host is served: the operator reaches the Admin API through a Service name.
    private bool HostAllowed(HttpRequest request) => _auth.RequiresToken || LoopbackHost.Names(request.Host.Value ?? "");

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

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
            case "upstreams" when HealthEndpoints.Handles(segments):
                return _health.HandleAsync(request);
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
