using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Connections.Features;

namespace Gateway.Proxy.Routing;

/// <summary>
/// What the router looks at in a request. Built from the HttpContext without copying anything, so
/// unit tests can describe a request without a server.
/// </summary>
public readonly struct RouteRequest
{
    public RouteRequest(string method, bool isHttps, string host, int localPort, string path, string? sni,
        IHeaderDictionary headers, string? query = null)
    {
        Query = query;
        Method = method;
        IsHttps = isHttps;
        Host = host;
        LocalPort = localPort;
        Path = path;
        Sni = sni;
        Headers = headers;
    }

    public string Method { get; }

    /// <summary>Whether the request came over a TLS connection to the gateway.</summary>
    public bool IsHttps { get; }

    /// <summary>The Host header as received, possibly with a port ("Example.com:8000").</summary>
    public string Host { get; }

    /// <summary>The port the client connected to; used when the Host header carries none.</summary>
    public int LocalPort { get; }

    /// <summary>The canonical request path (see <see cref="RequestPaths.CanonicalPath"/>) without query string.</summary>
    public string Path { get; }

    /// <summary>The TLS server name the client asked for, when on TLS.</summary>
    public string? Sni { get; }

    public IHeaderDictionary Headers { get; }

    /// <summary>The query string as received ("?a=1&amp;b=2"), or null without one.</summary>
    public string? Query { get; }

    public static RouteRequest From(HttpContext context, string canonicalPath)
    {
        var request = context.Request;
        var sni = request.IsHttps ? context.Features.Get<ITlsHandshakeFeature>()?.HostName : null;
        return new RouteRequest(request.Method, request.IsHttps, request.Headers.Host.ToString(), context.Connection.LocalPort,
            canonicalPath, sni, request.Headers, request.QueryString.Value);
    }

    /// <summary>The Host header's name part and port; the port falls back to <see cref="LocalPort"/>.</summary>
    public ReadOnlySpan<char> SplitHost(out int port)
    {
        var name = HostHeader.Split(Host, out port);
        if (port == 0) port = LocalPort;
        return name;
    }
}
