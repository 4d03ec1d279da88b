using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Proxying;
using Microsoft.Net.Http.Headers;

namespace Gateway.Proxy.Plugins.Redirect;

/// <summary>
/// Answers requests with a redirect instead of forwarding them, as Kong's redirect (3.9): a Location header and the
/// body "redirecting". Priority 779, as in Kong: after authentication, rate limiting and the transformers.
/// </summary>
public sealed class RedirectHandler(RedirectConfig config) : PluginHandler
{
    public const string Name = "redirect";

    public static readonly PluginDefinition Registration =
        PluginDefinition.Create<RedirectConfig>(Name, 779, (config, _) => new RedirectHandler(config));

    private static readonly PluginReply Redirecting = PluginReply.Text("redirecting", PluginReply.TextType);

    private readonly RedirectLocation _location = new(config);

    public override ValueTask AccessAsync(PluginContext context)
    {
        var request = context.Http.Request;
        var exchange = context.Exchange;
        context.Http.Response.Headers[HeaderNames.Location] = _location.For(ForwardedHeaders.IsHttps(request, exchange.PeerIsTrusted),
            request.Host.Value ?? "", exchange.RequestPath, request.QueryString.Value ?? "");
        context.Reply(config.StatusCode, Redirecting);
        return ValueTask.CompletedTask;
    }
}
