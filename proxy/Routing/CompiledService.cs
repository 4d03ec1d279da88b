using System.Globalization;
using System.Net;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Health;
using Gateway.Proxy.LoadBalancing;
using Gateway.Proxy.Tls;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Routing;

/// <summary>
/// A service as the proxy needs it, worked out once per snapshot: where its requests go (one host, or the
/// targets of the upstream its host names), the scheme, base path and Host header towards each of them,
/// and the forwarding settings derived from its timeouts.
/// </summary>
public sealed class CompiledService
{
    private CompiledService(Service service, Upstream? upstream, Balancer? balancer, UpstreamHealth? health, UpstreamPeer[] peers, UpstreamTls tls)
    {
        Service = service;
        Upstream = upstream;
        Balancer = balancer;
        Health = health;
        Peers = peers;
        BasePath = service.Path ?? "/";
        IsGrpc = service.Protocol is "grpc" or "grpcs";
        RequestConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = TimeSpan.FromMilliseconds(service.ReadTimeout),
            Version = IsGrpc ? HttpVersion.Version20 : HttpVersion.Version11,
            VersionPolicy = IsGrpc ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
        };
        ClientSettings = new UpstreamClientSettings(service.ConnectTimeout, tls);
    }

    public Service Service { get; }

    /// <summary>The upstream named by the service's host, if any.</summary>
    public Upstream? Upstream { get; }

    /// <summary>Chooses among <see cref="Peers"/>; null when the service points at a single host.</summary>
    public Balancer? Balancer { get; }

    /// <summary>
    /// Where the outcome of each try is reported (the passive health check), index-aligned with <see cref="Peers"/>; null when
    /// the upstream has no passive check.
    /// </summary>
    public UpstreamHealth? Health { get; }

    /// <summary>Where requests can go; index-aligned with the balancer's targets.</summary>
    public UpstreamPeer[] Peers { get; }

    /// <summary>The service path, "/" when it has none.</summary>
    public string BasePath { get; }

    public bool IsGrpc { get; }

    public int Retries => Service.Retries;

    /// <summary>The upstream's host_header, sent instead of the target's name when the route does not preserve the host.</summary>
    public string? HostHeader => Upstream?.HostHeader;

    public ForwarderRequestConfig RequestConfig { get; }

    /// <summary>The settings of the HTTP client this service needs (shared by all services with equal settings).</summary>
    public UpstreamClientSettings ClientSettings { get; }

    /// <summary>The peer for this try, or -1 when the upstream has no target in rotation, none healthy, or is unhealthy as a whole.</summary>
    public int PickPeer(HttpContext context, ref BalancerState state)
    {
        if (Balancer is not null) return Balancer.Pick(context, ref state);
        return Peers.Length == 0 ? -1 : 0;
    }

    public void ReleasePeer(int peer) => Balancer?.Release(peer);

    /// <summary>The service compiled with <paramref name="tls"/>, its upstream TLS settings (none: Kong's default, see <see cref="UpstreamTls.Unverified"/>).</summary>
    public static CompiledService Create(Service service, Upstream? upstream, Balancer? balancer, UpstreamHealth? health = null, UpstreamTls? tls = null)
    {
        var scheme = service.UsesTls ? "https" : "http";
        UpstreamPeer[] peers;
        if (balancer is null)
        {
            peers = [UpstreamPeer.Create(scheme, service.Host!, service.Port)];
        }
        else
        {
            peers = new UpstreamPeer[balancer.Targets.Length];
            for (var i = 0; i < peers.Length; i++)
                peers[i] = UpstreamPeer.Create(scheme, balancer.Targets[i].Host, balancer.Targets[i].Port);
        }
        return new CompiledService(service, upstream, balancer, health, peers, tls ?? UpstreamTls.Unverified);
    }
}

/// <summary>One place a service's requests can go, with the strings a request needs, built once.</summary>
public sealed class UpstreamPeer
{
    private UpstreamPeer(string destinationPrefix, string hostHeader)
    {
        DestinationPrefix = destinationPrefix;
        HostHeader = hostHeader;
    }

    /// <summary>"http://10.0.0.1:8080", to which the upstream path and query are appended.</summary>
    public string DestinationPrefix { get; }

    /// <summary>The Host header for this peer: its name, with the port when it is not the scheme's default.</summary>
    public string HostHeader { get; }

    private volatile bool _closesConnections;

    /// <summary>
    /// True once the peer answered as an HTTP/1.0 server does, closing the connection after each response (Python's
    /// http.server, Flask's development server): requests to it then go through a client that keeps no connection for
    /// another request. .NET's HTTP client pools such a connection anyway, and would send the next request on it while
    /// the server is closing it: the request then fails with "the response ended prematurely".
    /// </summary>
    public bool ClosesConnections
    {
        get => _closesConnections;
        set => _closesConnections = value;
    }

    public static UpstreamPeer Create(string scheme, string host, int port)
    {
        // A bare IPv6 address needs brackets in a URL and a Host header.
        if (host.Contains(':') && !host.StartsWith('[')) host = "[" + host + "]";
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var defaultPort = scheme == "https" ? 443 : 80;
        return new UpstreamPeer(scheme + "://" + host + ":" + portText, port == defaultPort ? host : host + ":" + portText);
    }
}

/// <summary>
/// What distinguishes one upstream HTTP client from another. <paramref name="ReusesConnections"/> is false for the client
/// of peers that close the connection after each response (<see cref="UpstreamPeer.ClosesConnections"/>).
/// </summary>
public readonly record struct UpstreamClientSettings(int ConnectTimeoutMs, UpstreamTls Tls, bool ReusesConnections = true);
