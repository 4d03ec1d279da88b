using System.Globalization;
using Gateway.Proxy.PluginEngine;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.Proxy.Plugins.Cors;

/// <summary>
/// Cross-origin resource sharing as Kong's cors plugin: answers preflight requests itself (unless told to forward
/// them) and adds the Access-Control-* headers to every response for an allowed origin.
/// </summary>
public sealed class CorsHandler : PluginHandler
{
    public const string Name = "cors";

    public static readonly PluginDefinition Registration =
        PluginDefinition.Create<CorsConfig>(Name, 2000, (config, _) => new CorsHandler(config), allowsConsumer: false);

    private readonly CorsConfig _config;
    private readonly CorsOrigins _origins;
    private readonly string _methods;
    private readonly string? _headers;
    private readonly string? _exposed;
    private readonly string? _maxAge;

    private CorsHandler(CorsConfig config)
    {
        _config = config;
        _origins = new CorsOrigins(config.Origins);
        _methods = string.Join(",", config.Methods);
        _headers = config.Headers.Length > 0 ? string.Join(",", config.Headers) : null;
        _exposed = config.ExposedHeaders.Length > 0 ? string.Join(",", config.ExposedHeaders) : null;
        _maxAge = config.MaxAge?.ToString(CultureInfo.InvariantCulture);
    }

    public override ValueTask AccessAsync(PluginContext context)
    {
        var request = context.Http.Request;
        if (!HttpMethods.IsOptions(request.Method) || !request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod)
            || _config.PreflightContinue)
            return ValueTask.CompletedTask;

        var headers = context.Http.Response.Headers;
        if (AllowedOrigin(request) is { } origin)
        {
            SetOriginHeaders(headers, origin);
            headers.AccessControlAllowMethods = _methods;
            headers.AccessControlAllowHeaders = _headers ?? request.Headers.AccessControlRequestHeaders.ToString();
            if (_maxAge is not null) headers.AccessControlMaxAge = _maxAge;
            if (_config.PrivateNetwork && request.Headers["Access-Control-Request-Private-Network"] == "true")
                headers["Access-Control-Allow-Private-Network"] = "true";
        }
        context.Exit(StatusCodes.Status200OK, null);
        return ValueTask.CompletedTask;
    }

    public override void HeaderFilter(PluginContext context, HttpResponse response)
    {
        var request = context.Http.Request;
        if (HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod)
            && !_config.PreflightContinue)
            return;
        if (AllowedOrigin(request) is not { } origin) return;
        SetOriginHeaders(response.Headers, origin);
        if (_exposed is not null) response.Headers.AccessControlExposeHeaders = _exposed;
    }

    /// <summary>The Access-Control-Allow-Origin value for this request, or null when its origin is not allowed.</summary>
    private string? AllowedOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        // With credentials the exact origin must be echoed; '*' is not accepted by browsers then.
        if (_origins.AllowsAny && !_config.Credentials) return "*";
        if (origin.Length == 0) return _origins.AllowsAny ? "*" : null;
        return _origins.Allows(origin) ? origin : null;
    }

    private void SetOriginHeaders(IHeaderDictionary headers, string origin)
    {
        headers.AccessControlAllowOrigin = origin;
        if (origin != "*") headers.Append(HeaderNames.Vary, "Origin");
        if (_config.Credentials) headers.AccessControlAllowCredentials = "true";
    }
}
