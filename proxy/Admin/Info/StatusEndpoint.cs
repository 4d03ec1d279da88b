using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Http;
using Gateway.Proxy.Snapshots;

namespace Gateway.Proxy.Admin.Info;

/// <summary>
/// <c>GET /status</c> in Kong's shape: database reachability, server counters, memory, and which
/// configuration is in service (<c>configuration_hash</c>: the version as 32 hex digits, all zeros before any).
/// </summary>
public sealed class StatusEndpoint(AdminApiOptions options, SnapshotHolder snapshots, ServerStatistics statistics)
{
    private static readonly TimeSpan DatabaseTimeout = TimeSpan.FromSeconds(3);

    public async Task<AdminResponse> HandleAsync(CancellationToken ct)
    {
        var connections = statistics.ActiveConnections;
        var writing = Math.Min(statistics.ActiveRequests, connections);
        var version = snapshots.Current?.Version ?? 0;
        var pid = Environment.ProcessId;
        return AdminResponse.Ok(new JsonObject
        {
            ["database"] = new JsonObject { ["reachable"] = await DatabaseReachableAsync(ct) },
            ["server"] = new JsonObject
            {
                ["total_requests"] = statistics.TotalRequests,
                ["connections_active"] = connections,
                ["connections_accepted"] = statistics.AcceptedConnections,
                ["connections_handled"] = statistics.AcceptedConnections,
                ["connections_reading"] = 0,
                ["connections_writing"] = writing,
                ["connections_waiting"] = connections - writing,
            },
            ["memory"] = new JsonObject
            {
                ["workers_lua_vms"] = new JsonArray(new JsonObject
                {
                    ["http_allocated_gc"] = Mebibytes(GC.GetTotalMemory(forceFullCollection: false)),
                    ["pid"] = pid,
                }),
                ["lua_shared_dicts"] = new JsonObject(),
            },
            ["configuration_hash"] = version.ToString("x32", CultureInfo.InvariantCulture),
            ["configuration_version"] = version,
        });
    }

    private async Task<bool> DatabaseReachableAsync(CancellationToken ct)
    {
        if (options.DatabaseReachable is not { } check) return true;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(DatabaseTimeout);
        try
        {
            return await check(timeout.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever went wrong, the answer to "can the database be reached" is no.
            return false;
        }
    }

    private static string Mebibytes(long bytes) =>
        (bytes / 1024.0 / 1024.0).ToString("0.00", CultureInfo.InvariantCulture) + " MiB";
}
