using System.Text;
using System.Text.Json.Nodes;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Routing;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Transforms;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Proxy.Plugins.RequestTermination;

/// <summary>
/// Answers requests itself instead of forwarding them, as Kong's request-termination: a JSON message, a raw body of a
/// configured type, or (echo) a description of the request. With a trigger, only requests that carry a header or query
/// parameter of that name are answered; with <c>tollgate_share</c>, only that share of them. It runs after authentication and rate limiting (priority 2, as in Kong), so a
/// terminated route still refuses unknown clients first.
/// </summary>
public sealed class RequestTerminationHandler : PluginHandler
{
    public const string Name = "request-termination";

    public static readonly PluginDefinition Registration =
        PluginDefinition.Create<RequestTerminationConfig>(Name, 2, (config, setup) => new RequestTerminationHandler(config, setup.Services));

    private readonly RequestTerminationConfig _config;
    private readonly PluginServices _services;
    private readonly PluginReply? _reply;
    private readonly string? _echoMessage;

    private RequestTerminationHandler(RequestTerminationConfig config, PluginServices services)
    {
        _config = config;
        _services = services;
        _echoMessage = config.Message ?? DefaultMessage(config.StatusCode);
        if (!CanHaveBody(config.StatusCode) || config.Echo) _reply = null;
        else if (!string.IsNullOrEmpty(config.Body))
            _reply = PluginReply.Text(config.Body, string.IsNullOrEmpty(config.ContentType) ? PluginReply.TextType : config.ContentType);
        else if (_echoMessage is not null) _reply = PluginReply.Message(_echoMessage);
    }

    public override ValueTask AccessAsync(PluginContext context)
    {
        var request = context.Http.Request;
        if (_config.Trigger is { } trigger && !request.Headers.ContainsKey(trigger) && !request.Query.ContainsKey(trigger))
            return ValueTask.CompletedTask;
        // A share below 1 answers that part of the requests (the Gateway API's 500s for a rule's invalid backends).
        if (_config.TollgateShare < 1 && Random.Shared.NextDouble() >= _config.TollgateShare)
            return ValueTask.CompletedTask;
        if (_config.Echo && CanHaveBody(_config.StatusCode)) return EchoAsync(context);
        if (_reply is not null) context.Reply(_config.StatusCode, _reply);
        else context.Exit(_config.StatusCode, null);
        return ValueTask.CompletedTask;
    }

    /// <summary>Kong's words for the statuses it has a default message for.</summary>
    public static string? DefaultMessage(int status) => status switch
    {
        401 => "Unauthorized",
        404 => "Not found",
        405 => "Method not allowed",
        500 => "An unexpected error occurred",
        502 => "Bad Gateway",
        503 => "Service unavailable",
        _ => null,
    };

    // 204 and 304 answers end at their headers.
    private static bool CanHaveBody(int status) => status is not (StatusCodes.Status204NoContent or StatusCodes.Status304NotModified);

    private async ValueTask EchoAsync(PluginContext context)
    {
        var request = context.Http.Request;
        var body = await BoundedBody.ReadRequestAsync(request, _services.BodyBufferSize);
        var echo = new JsonObject
        {
            ["message"] = _echoMessage,
            ["request"] = new JsonObject
            {
                ["scheme"] = request.Scheme,
                ["host"] = HostHeader.NameOf(request.Host.Value ?? ""),
                ["port"] = context.Http.Connection.LocalPort,
                ["method"] = request.Method,
                ["path"] = context.Exchange.RequestPath,
                ["headers"] = Described(request.Headers, lowerCaseNames: true),
                ["query"] = Described(request.Query, lowerCaseNames: false),
                // Kong's raw_body: the body as text, or null when it is longer than plugins may read.
                ["raw_body"] = body is { } bytes ? Encoding.UTF8.GetString(bytes.Span) : null,
            },
            ["matched_route"] = EntityJson.ToNode(context.Exchange.Match.Route.Route),
            ["matched_service"] = EntityJson.ToNode(context.Exchange.Service.Service),
        };
        context.Reply(_config.StatusCode, PluginReply.Json(echo, _echoMessage));
    }

    /// <summary>Names and values as Kong's PDK gives them: a string, or an array of strings for a repeated name.</summary>
    private static JsonObject Described(IEnumerable<KeyValuePair<string, StringValues>> fields, bool lowerCaseNames)
    {
        var result = new JsonObject();
        foreach (var (name, values) in fields)
        {
            var key = lowerCaseNames ? name.ToLowerInvariant() : name;
            if (values.Count == 1)
            {
                result[key] = values[0];
                continue;
            }
            var list = new JsonArray();
            foreach (var value in values) list.Add(value);
            result[key] = list;
        }
        return result;
    }
}
