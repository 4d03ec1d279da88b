using System.Net;
using Gateway.Proxy.Networking;
using Gateway.Proxy.PluginEngine;

namespace Gateway.Proxy.Plugins.IpRestriction;

/// <summary>
/// Lets a request through by the client's address, as Kong's ip-restriction: a client in the deny list is refused,
/// and so is, when there is an allow list, a client outside it. The client is <see cref="PluginContext.ClientIpAddress"/>,
/// which believes X-Forwarded-For only from trusted proxies.
/// </summary>
public sealed class IpRestrictionHandler(IpRestrictionConfig config) : PluginHandler
{
    public const string Name = "ip-restriction";
    public const string NoClientAddress = "Cannot identify the client IP address, unix domain sockets are not supported.";

    public static readonly PluginDefinition Registration =
        PluginDefinition.Create<IpRestrictionConfig>(Name, 990, (config, _) => new IpRestrictionHandler(config));

    private readonly IPNetwork[] _allow = Compile(config.Allow);
    private readonly IPNetwork[] _deny = Compile(config.Deny);

    public override ValueTask AccessAsync(PluginContext context)
    {
        if (context.ClientIpAddress is not { } client) context.Exit(403, NoClientAddress);
        else if (IpNetworks.AnyContains(_deny, client) || (_allow.Length > 0 && !IpNetworks.AnyContains(_allow, client)))
            context.Exit(config.Status, config.Message);
        return ValueTask.CompletedTask;
    }

    /// <summary>The config was validated, so every entry parses.</summary>
    private static IPNetwork[] Compile(string[]? entries)
    {
        if (entries is null) return [];
        var networks = new IPNetwork[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            if (!IpNetworks.TryParse(entries[i], out networks[i]))
                throw new ArgumentException($"invalid ip or cidr range: '{entries[i]}'", nameof(entries));
        }
        return networks;
    }
}
