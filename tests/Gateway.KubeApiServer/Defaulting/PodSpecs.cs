using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer.Defaulting;

/// <summary>Where the built-in kinds keep a pod spec, and the containers in one.</summary>
static class PodSpecs
{
    /// <summary>A Pod's spec, or the pod template's spec of a workload; null for other kinds.</summary>
    public static JsonObject? Of(ResourceType type, JsonObject obj)
    {
        if (type.Group == "" && type.Kind == "Pod")
            return obj["spec"] as JsonObject;
        if (type.Group is "apps" or "batch" && type.Kind is "Deployment" or "StatefulSet" or "Job" or "ReplicaSet" or "DaemonSet")
            return obj["spec"]?["template"]?["spec"] as JsonObject;
        return null;
    }

    /// <summary>Containers, init containers and ephemeral containers alike.</summary>
    public static IEnumerable<JsonObject> Containers(JsonObject podSpec) =>
        new[] { "initContainers", "containers", "ephemeralContainers" }
            .SelectMany(list => Objects(podSpec[list]));

    public static IEnumerable<JsonObject> Objects(JsonNode? list) =>
        list is JsonArray array ? array.OfType<JsonObject>() : [];

    /// <summary>The object at <paramref name="name"/>, created empty when missing (or not an object).</summary>
    public static JsonObject Child(JsonObject parent, string name) =>
        parent[name] as JsonObject ?? (JsonObject)(parent[name] = new JsonObject());
}
