using Gateway.Proxy.Entities;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.PluginEngine;

/// <summary>
/// A configured plugin, ready to run: created once per snapshot from one plugin entity and shared by every request,
/// so it holds only immutable state (per-request state goes in <see cref="PluginContext"/>). The phases follow Kong's:
/// access before the request is forwarded, then header and body filters on the response the client gets (the
/// upstream's, or the gateway's own when a plugin or the proxy answered).
/// </summary>
public abstract class PluginHandler
{
    private bool _acceptsHttp;
    private bool _acceptsHttps;

    /// <summary>The plugin entity this handler was made from.</summary>
    public Plugin Plugin { get; private set; } = null!;

    public PluginDefinition Definition { get; private set; } = null!;

    internal void Attach(Plugin plugin, PluginDefinition definition)
    {
        Plugin = plugin;
        Definition = definition;
        foreach (var protocol in plugin.Protocols)
        {
            if (protocol is "http" or "ws" or "grpc") _acceptsHttp = true;
            else _acceptsHttps = true;
        }
    }

    /// <summary>Whether the plugin's protocols cover this request.</summary>
    public bool Accepts(bool isHttps) => isHttps ? _acceptsHttps : _acceptsHttp;

    /// <summary>Before forwarding. May change the request, or answer it with <see cref="PluginContext.Exit"/>.</summary>
    public virtual ValueTask AccessAsync(PluginContext context) => ValueTask.CompletedTask;

    /// <summary>The response's status and headers are set and about to be sent.</summary>
    public virtual void HeaderFilter(PluginContext context, HttpResponse response)
    {
    }

    /// <summary>Whether this response's body should be buffered and passed to <see cref="BodyFilter"/>.</summary>
    public virtual bool WantsResponseBody(PluginContext context, HttpResponse response) => false;

    /// <summary>Rewrites a buffered upstream response body.</summary>
    public virtual byte[] BodyFilter(PluginContext context, HttpResponse response, byte[] body) => body;

    public override string ToString() => Definition.Name + " " + Plugin.Id;
}
