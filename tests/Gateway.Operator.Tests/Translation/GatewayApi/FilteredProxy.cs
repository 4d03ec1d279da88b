using System.Net;
using System.Text.Json.Nodes;
using Gateway.Operator.Entities;
using Gateway.Operator.Sync;
using Gateway.Operator.Translation;
using Gateway.Operator.Translation.Plugins;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Proxying;
using Gateway.Proxy.Routing;
using Gateway.Proxy.Snapshots;
using Microsoft.AspNetCore.Http;

namespace Gateway.Operator.Tests.Translation.GatewayApi;

/// <summary>
/// A translated configuration as the proxies get it (with the plugins of the plugin translation), and one request
/// through the proxy's own snapshot: its routing, the upstream path it builds, and the access and response-header
/// phases of the route's plugins, without forwarding.
/// </summary>
internal static class FilteredProxy
{
    /// <summary>The document the operator sends: translation, plugin translation, withholding.</summary>
    public static JsonObject Document(TranslationOutput output, params TollgatePlugin[] plugins) =>
        SyncDocument.Build(output.Configuration, Plugins(output, plugins));

    public static PluginTranslation Plugins(TranslationOutput output, params TollgatePlugin[] plugins) =>
        PluginTranslator.Translate(new PluginTranslationInput(output.Configuration.OwnerTag, plugins, [], [], [], output.PluginTargets));

    /// <summary>The plugin entities of the document named <paramref name="name"/>.</summary>
    public static List<JsonObject> PluginsNamed(this JsonObject document, string name) =>
        [.. (document["plugins"] as JsonArray ?? []).OfType<JsonObject>().Where(p => (string?)p["name"] == name)];

    /// <summary>The proxy's snapshot of the document, after its declarative parser accepted it.</summary>
    public static ConfigSnapshot Snapshot(JsonObject document)
    {
        var parsed = DeclarativeParser.Parse(document.ToJsonString());
        Assert.True(parsed.IsValid, parsed.Describe());
        return ConfigSnapshot.Compile(parsed.Config!);
    }

    /// <summary>What the proxy made of one request, and of the response an upstream would give it.</summary>
    /// <summary>What the proxy made of one request: <see cref="Exit"/> is the status a plugin answered with, if one did.</summary>
    public sealed record Sent(string Route, string UpstreamPath, IHeaderDictionary UpstreamHeaders, int? Exit, Func<(string Name, string Value)[], IHeaderDictionary> Respond);

    /// <summary>Null when no route matches.</summary>
    public static async Task<Sent?> SendAsync(this ConfigSnapshot snapshot, string path, string host = "example.com", params (string Name, string Value)[] headers)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "GET";
        http.Request.Path = path;
        http.Request.Host = new HostString(host);
        foreach (var (name, value) in headers) http.Request.Headers.Append(name, value);
        if (!snapshot.Routes.TryMatch(new RouteRequest("GET", false, host, 80, path, null, http.Request.Headers), out var match)) return null;

        var route = match.Route;
        var service = route.Service!;
        var upstreamPath = UpstreamPath.Build(service.BasePath, path, match.MatchedPath, route.Route.StripPath, route.Route.PathHandling == "v1");
        var exchange = new ProxyExchange(snapshot, match, service, "request-1", 0, path, upstreamPath, null, IPAddress.Loopback, null);
        PluginContext? plugins = null;
        if (route.Plugins is { } chain)
        {
            plugins = new PluginContext(http, exchange, chain, PluginServices.Default);
            await chain.RunAccessAsync(plugins);
        }
        return new Sent(route.Route.Name!, exchange.UpstreamPath, http.Request.Headers, plugins?.HasExited == true ? plugins.ExitStatus : null, upstream =>
        {
            foreach (var (name, value) in upstream) http.Response.Headers.Append(name, value);
            if (plugins is not null) PluginChain.RunHeaderFilters(plugins, http.Response);
            return http.Response.Headers;
        });
    }
}
