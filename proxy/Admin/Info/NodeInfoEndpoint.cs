using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Http;
using Gateway.Proxy.Snapshots;

namespace Gateway.Proxy.Admin.Info;

/// <summary><c>GET /</c>: what this node is, in the shape of Kong's node information.</summary>
public sealed class NodeInfoEndpoint(AdminApiOptions options, SnapshotHolder snapshots)
{
    public AdminResponse Handle()
    {
        var available = new JsonObject();
        foreach (var plugin in options.Plugins)
            available[plugin.Name] = new JsonObject { ["version"] = options.Version, ["priority"] = plugin.Priority };

        var configuration = new JsonObject { ["database"] = options.Database };
        foreach (var (key, value) in options.Configuration) configuration[key] = value;

        var pid = Environment.ProcessId;
        return AdminResponse.Ok(new JsonObject
        {
            ["tagline"] = "Welcome to tollgate",
            ["version"] = options.Version,
            ["edition"] = "community",
            ["hostname"] = options.Hostname,
            ["node_id"] = options.NodeId.ToString(),
            ["plugins"] = new JsonObject
            {
                ["available_on_server"] = available,
                ["enabled_in_cluster"] = AdminResponse.ArrayOf(EnabledPlugins()),
            },
            ["configuration"] = configuration,
            ["pids"] = new JsonObject { ["master"] = pid, ["workers"] = new JsonArray(pid) },
        });
    }

    /// <summary>Plugin names used by the configuration in service, as Kong lists those in its database.</summary>
    private IEnumerable<string> EnabledPlugins()
    {
        var plugins = snapshots.Current?.Data.Plugins ?? [];
        return plugins.Select(p => p.Name).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
    }
}
