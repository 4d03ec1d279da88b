using System.Net;
using Gateway.Proxy.Consumers;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Networking;
using Gateway.Proxy.Proxying;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.PluginEngine;

/// <summary>
/// One request's passage through its plugin chain: who the client turned out to be, what each plugin remembered
/// for later phases, and whether a plugin answered the request itself. Created only for routes that have plugins,
/// and available to the rest of the request as <see cref="ProxyExchange.Plugins"/>.
/// </summary>
public sealed class PluginContext
{
    private readonly object?[] _state;
    private string? _clientIp;
    private IPAddress? _clientAddress;
    private bool _clientResolved;

    public PluginContext(HttpContext http, ProxyExchange exchange, PluginChain chain, PluginServices services)
    {
        Http = http;
        Exchange = exchange;
        Services = services;
        Ran = new PluginHandler?[chain.Slots.Length];
        _state = new object?[chain.Slots.Length];
    }

    public HttpContext Http { get; }

    /// <summary>The route, service, snapshot and upstream path of this request.</summary>
    public ProxyExchange Exchange { get; }

    public PluginServices Services { get; }

    public ConsumerDirectory Consumers => Exchange.Snapshot.Consumers;

    /// <summary>The handler that ran at each slot of the chain (null where none applied or the chain stopped before).</summary>
    public PluginHandler?[] Ran { get; }

    /// <summary>The slot whose handler is running now.</summary>
    internal int CurrentSlot { get; set; }

    /// <summary>The authenticated (or anonymous) consumer, once an authentication plugin has set one.</summary>
    public Consumer? Consumer { get; private set; }

    /// <summary>The credential the consumer authenticated with; null for the anonymous consumer.</summary>
    public Guid? CredentialId { get; private set; }

    /// <summary>True once a plugin has answered the request; the chain stops and nothing is forwarded.</summary>
    public bool HasExited { get; private set; }

    public int ExitStatus { get; private set; }

    /// <summary>The message of the JSON error body; null for an empty body.</summary>
    public string? ExitMessage { get; private set; }

    /// <summary>Extra fields of the JSON error body, written before its message (Kong's jwt names the failed claims so).</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? ExitFields { get; private set; }

    /// <summary>The plugin's own body for the answer, instead of the JSON error template; null for the template.</summary>
    public PluginReply? ExitReply { get; private set; }

    /// <summary>
    /// The client's address: the connection's peer, or, when that peer is a trusted proxy, the last address in
    /// X-Forwarded-For that is not itself a trusted proxy (Kong's forwarded ip). IPv4-mapped IPv6 peers appear as
    /// IPv4; null when the connection has no IP peer.
    /// </summary>
    public IPAddress? ClientIpAddress
    {
        get
        {
            if (!_clientResolved)
            {
                _clientAddress = ClientAddress.ResolveAddress(Http, Services.TrustedProxies);
                _clientResolved = true;
            }
            return _clientAddress;
        }
    }

    /// <summary><see cref="ClientIpAddress"/> as text ("" when there is none).</summary>
    public string ClientIp => _clientIp ??= ClientIpAddress?.ToString() ?? "";

    /// <summary>Answers the request instead of forwarding it: a JSON error body with <paramref name="message"/> (or no body).</summary>
    public void Exit(int status, string? message) => Exit(status, message, null);

    /// <summary>Answers the request with a JSON error body holding <paramref name="fields"/> as well as the message.</summary>
    public void Exit(int status, string? message, IReadOnlyList<KeyValuePair<string, string>>? fields)
    {
        HasExited = true;
        ExitStatus = status;
        ExitMessage = message;
        ExitFields = fields;
    }

    /// <summary>Answers the request with a body of the plugin's own (headers the plugin set on the response stay).</summary>
    public void Reply(int status, PluginReply reply)
    {
        HasExited = true;
        ExitStatus = status;
        ExitReply = reply;
    }

    /// <summary>Records who the client is and tells the upstream, replacing any such headers the client sent.</summary>
    public void Authenticate(Consumer consumer, Guid? credentialId, string? credentialIdentifier)
    {
        Consumer = consumer;
        CredentialId = credentialId;
        ConsumerHeaders.Set(Http.Request.Headers, consumer, credentialIdentifier, anonymous: credentialId is null);
    }

    /// <summary>State the running plugin keeps for its later phases of this request.</summary>
    public void SetState(object state) => _state[CurrentSlot] = state;

    public T? GetState<T>() where T : class => _state[CurrentSlot] as T;
}
