using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer;

/// <summary>
/// An Event is one resource with two versions, core/v1 and events.k8s.io/v1, as on a real server: what is
/// written through one is read through the other with the fields renamed (regarding is involvedObject, note
/// is message, reportingController is reportingComponent, deprecatedSource is source, and the deprecated
/// timestamps and count are the core ones).
/// </summary>
static class EventVersions
{
    // events.k8s.io/v1 field → core/v1 field, for the fields whose names differ.
    static readonly (string Events, string Core)[] Renamed =
    [
        ("regarding", "involvedObject"),
        ("note", "message"),
        ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"),
        ("reportingController", "reportingComponent"),
    ];

    static readonly string[] Same = ["reason", "type", "eventTime", "series", "action", "related", "reportingInstance"];

    public static JsonObject ToCore(JsonObject events) => Convert(events, "v1", Renamed.Select(r => (r.Events, r.Core)));

    public static JsonObject FromCore(JsonObject core, string apiVersion) => Convert(core, apiVersion, Renamed.Select(r => (r.Core, r.Events)));

    static JsonObject Convert(JsonObject from, string apiVersion, IEnumerable<(string From, string To)> renamed)
    {
        var to = new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = "Event",
            ["metadata"] = from["metadata"]?.DeepClone(),
        };
        foreach (var field in Same)
        {
            if (from.TryGetPropertyValue(field, out var value))
                to[field] = value?.DeepClone();
        }
        foreach (var (source, target) in renamed)
        {
            if (from.TryGetPropertyValue(source, out var value))
                to[target] = value?.DeepClone();
        }
        return to;
    }
}
