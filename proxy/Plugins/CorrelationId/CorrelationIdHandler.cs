using System.Globalization;
using Gateway.Proxy.PluginEngine;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Plugins.CorrelationId;

/// <summary>
/// Gives every request an id in a header of its own, as Kong's correlation-id: an id the client sent is kept, otherwise
/// one is generated; it goes to the upstream and, if asked, back to the client.
/// </summary>
public sealed class CorrelationIdHandler(CorrelationIdConfig config) : PluginHandler
{
    public const string Name = "correlation-id";

    public static readonly PluginDefinition Registration =
        PluginDefinition.Create<CorrelationIdConfig>(Name, 100001, (config, _) => new CorrelationIdHandler(config));

    private static readonly string NodeId = Guid.NewGuid().ToString();
    private static long _counter;

    public override ValueTask AccessAsync(PluginContext context)
    {
        var headers = context.Http.Request.Headers;
        var id = headers[config.HeaderName].ToString();
        if (id.Length == 0)
        {
            id = Generate(context.Http);
            headers[config.HeaderName] = id;
        }
        context.SetState(id);
        return ValueTask.CompletedTask;
    }

    public override void HeaderFilter(PluginContext context, HttpResponse response)
    {
        if (config.EchoDownstream && context.GetState<string>() is { } id) response.Headers[config.HeaderName] = id;
    }

    private string Generate(HttpContext http)
    {
        var count = Interlocked.Increment(ref _counter).ToString(CultureInfo.InvariantCulture);
        switch (config.Generator)
        {
            case "uuid":
                return Guid.NewGuid().ToString();
            case "tracker":
                var connection = http.Connection;
                return string.Join('-', connection.LocalIpAddress?.ToString() ?? "", connection.LocalPort.ToString(CultureInfo.InvariantCulture),
                    Environment.ProcessId.ToString(CultureInfo.InvariantCulture), connection.Id,
                    DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), count);
            default:
                return NodeId + "#" + count;
        }
    }
}
