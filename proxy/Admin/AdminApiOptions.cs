using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Admin;

/// <summary>What the Admin API needs to know about the node it runs in; supplied by the host.</summary>
public sealed record AdminApiOptions
{
    /// <summary>When set, every request must present it (Authorization: Bearer … or Kong-Admin-Token: …).</summary>
    public string? Token { get; init; }

    /// <summary>
    /// Web origins (as browsers write them: "https://admin.example.com") whose pages may call the Admin API:
    /// they get CORS headers, and their writes pass the cross-site check. Empty: no CORS headers at all.
    /// </summary>
    public IReadOnlyList<string> GuiOrigins { get; init; } = [];

    /// <summary>The largest request body read, in bytes; larger ones are answered 413.</summary>
    public long BodyLimit { get; init; } = Settings.GatewaySettings.DefaultAdminBodyLimit;

    public Guid NodeId { get; init; } = Guid.NewGuid();

    public string Hostname { get; init; } = Environment.MachineName;

    public string Version { get; init; } = "0.1.0";

    /// <summary>"postgres" or "off" (DB-less), as Kong's <c>database</c> setting.</summary>
    public string Database { get; init; } = "postgres";

    /// <summary>Answers whether the database can be reached right now; null means always reachable (DB-less).</summary>
    public Func<CancellationToken, Task<bool>>? DatabaseReachable { get; init; }

    /// <summary>The plugins this build can run. Plugin entities naming any other plugin are refused.</summary>
    public IReadOnlyList<AdminPlugin> Plugins { get; init; } = [];

    /// <summary>Extra, already redacted settings shown under "configuration" by <c>GET /</c>.</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; init; } = new Dictionary<string, string?>();

    public AdminPlugin? FindPlugin(string name)
    {
        foreach (var plugin in Plugins)
            if (plugin.Name == name) return plugin;
        return null;
    }
}

/// <summary>
/// A plugin the Admin API accepts: its name, the schema of its <c>config</c> record (used for form coercion,
/// defaults and validation; null accepts any object), its execution priority, and whether it may be scoped to a consumer.
/// </summary>
public sealed record AdminPlugin(string Name, RecordSchema? Config = null, int Priority = 0, bool AllowsConsumer = true);
