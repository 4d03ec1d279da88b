using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Entities;
using Gateway.Proxy.Admin.Http;
using Gateway.Proxy.Admin.Listing;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Health;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Snapshots;
using Gateway.Proxy.Store;

namespace Gateway.Proxy.Admin.Health;

/// <summary>
/// Kong's health paths: <c>GET /upstreams/{u}/health</c> (each target with its health on this node, or with
/// <c>?balancer_health=1</c> the upstream's), and <c>POST|PUT /upstreams/{u}/targets/{t}/healthy|unhealthy</c> (a verdict
/// on this node, until the checks decide otherwise). They read and change this node's state, not the configuration, so
/// they work in DB-less mode as well.
/// </summary>
public sealed class HealthEndpoints(IConfigStore store, SnapshotHolder snapshots, AdminApiOptions options)
{
    private static readonly FieldSpec TargetUpstream = EntityCatalog.Targets.Schema.Field("upstream")!;

    private readonly EntityLocator _locator = new(store);

    /// <summary>Whether the path is one of these: <c>upstreams/{u}/health</c> or <c>upstreams/{u}/targets/{t}/healthy|unhealthy</c>.</summary>
    public static bool Handles(IReadOnlyList<string> segments) =>
        segments.Count > 2 && segments[0] == "upstreams"
        && ((segments.Count == 3 && segments[2] == "health")
            || (segments.Count == 5 && segments[2] == "targets" && segments[4] is "healthy" or "unhealthy"));

    public async Task<AdminResponse> HandleAsync(AdminRequest request)
    {
        var segments = request.Segments;
        var writes = segments.Count == 5;
        if (writes ? request.Method is not ("POST" or "PUT") : request.Method != "GET") return AdminResponse.MethodNotAllowed();
        if (await _locator.FindAsync(EntityCatalog.Upstreams, segments[1], request.Aborted) is not Upstream upstream)
            return AdminResponse.NotFound();
        var health = snapshots.Current?.Health.For(upstream.Id);
        if (!writes) return request.Query("balancer_health") == "1" ? BalancerHealth(upstream, health) : await TargetsAsync(request, upstream, health);
        if (await _locator.FindChildAsync(EntityCatalog.Targets, TargetUpstream, upstream, segments[3], request.Aborted) is not Target target)
            return AdminResponse.NotFound();
        return Force(upstream, target, health, healthy: segments[4] == "healthy");
    }

    /// <summary>One page of the upstream's targets, each with <c>health</c> and, as Kong's, its balancer <c>data</c>.</summary>
    private async Task<AdminResponse> TargetsAsync(AdminRequest request, Upstream upstream, UpstreamHealth? health)
    {
        var parameters = ListParameters.Parse(request.Query("size"), request.Query("offset"), tags: null);
        var query = new ListQuery(parameters.Size, parameters.Offset, TargetUpstream.Name, upstream.Id);
        var page = await StoreErrors.Translate(EntityCatalog.Targets, () => store.ListAsync(EntityCatalog.Targets, query, request.Aborted));
        var data = new JsonArray();
        foreach (var entity in page.Items)
        {
            var target = (Target)entity;
            var json = EntityJson.ToObject(target);
            var state = health?.StateOf(target.Address ?? "");
            // A target out of rotation (weight 0) is not checked; Kong shows it healthy when checks are on.
            var status = health is null || !health.ChecksEnabled ? "HEALTHCHECKS_OFF" : state is null ? "HEALTHY" : health.HealthOf(state);
            json["health"] = status;
            json["data"] = TargetData(target, status, state?.IsHealthy ?? true);
            data.Add(json);
        }
        var next = page.Next is null
            ? null
            : $"/upstreams/{Uri.EscapeDataString(request.Segments[1])}/health?offset={Uri.EscapeDataString(page.Next)}";
        var body = new JsonObject { ["data"] = data, ["next"] = next, ["node_id"] = options.NodeId.ToString() };
        if (page.Next is not null) body["offset"] = page.Next;
        return AdminResponse.Ok(body);
    }

    // Names are not resolved ahead of connections here, so a target has one address: itself.
    private static JsonObject TargetData(Target target, string status, bool available)
    {
        TargetAddress.TryParse(target.Address ?? "", out var address);
        var weight = target.Weight;
        return new JsonObject
        {
            ["host"] = address.Host,
            ["port"] = address.Port,
            ["nodeWeight"] = weight,
            ["weight"] = Weight(weight, available ? weight : 0),
            ["addresses"] = new JsonArray(new JsonObject
            {
                ["ip"] = address.Host,
                ["port"] = address.Port,
                ["weight"] = weight,
                ["health"] = status,
            }),
        };
    }

    /// <summary>Kong's <c>?balancer_health=1</c>: HEALTHY or UNHEALTHY against the threshold, with the weights; HEALTHCHECKS_OFF without checks.</summary>
    private AdminResponse BalancerHealth(Upstream upstream, UpstreamHealth? health)
    {
        var result = new JsonObject { ["id"] = upstream.Id.ToString() };
        if (health is { ChecksEnabled: true })
        {
            var (total, available) = health.Weights();
            var healthy = UpstreamHealth.IsHealthy(total, available, health.Threshold);
            result["health"] = healthy ? "HEALTHY" : "UNHEALTHY";
            result["details"] = new JsonObject { ["healthy"] = healthy, ["weight"] = Weight(total, available) };
        }
        else
        {
            result["health"] = "HEALTHCHECKS_OFF";
        }
        return AdminResponse.Ok(new JsonObject { ["data"] = result, ["next"] = null, ["node_id"] = options.NodeId.ToString() });
    }

    private static JsonObject Weight(long total, long available) =>
        new() { ["total"] = total, ["available"] = available, ["unavailable"] = total - available };

    /// <summary>
    /// Sets a target's health on this node, clearing its counters (Kong answers 400 when the upstream has no health checks).
    /// A target out of rotation has no state to set, and the answer is 204 all the same, as in Kong.
    /// </summary>
    private static AdminResponse Force(Upstream upstream, Target target, UpstreamHealth? health, bool healthy)
    {
        if (health is not { ChecksEnabled: true }) return AdminResponse.Message(400, "no healthchecker found for " + upstream.Name);
        health.StateOf(target.Address ?? "")?.Force(healthy);
        return AdminResponse.NoContent;
    }
}
