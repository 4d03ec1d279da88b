using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer;

/// <summary>The few things the API server fills in for built-in kinds that clients rely on.</summary>
static class BuiltInDefaults
{
    public static void OnCreate(ResourceType type, JsonObject obj, ref int nextClusterIp, ref int nextNodePort)
    {
        switch (type.Kind)
        {
            case "Secret":
                FoldStringData(obj);
                break;
            case "Namespace":
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                // Set on every namespace since Kubernetes 1.21, so that selectors can name a namespace.
                var labels = obj["metadata"]!["labels"] as JsonObject ?? (JsonObject)(obj["metadata"]!["labels"] = new JsonObject());
                labels["kubernetes.io/metadata.name"] = (string?)obj["metadata"]!["name"];
                break;
            case "NetworkPolicy":
                DefaultNetworkPolicy(obj);
                break;
            case "Service":
                var spec = obj["spec"] as JsonObject ?? (JsonObject)(obj["spec"] = new JsonObject());
                spec["type"] ??= "ClusterIP";
                if (spec["clusterIP"] is null)
                    spec["clusterIP"] = $"10.96.0.{nextClusterIp++ % 250 + 2}";
                if ((string?)spec["type"] is "NodePort" or "LoadBalancer")
                {
                    foreach (var port in spec["ports"]?.AsArray().OfType<JsonObject>() ?? [])
                        port["nodePort"] ??= nextNodePort++;
                }
                foreach (var port in spec["ports"]?.AsArray().OfType<JsonObject>() ?? [])
                {
                    port["protocol"] ??= "TCP";
                    port["targetPort"] ??= port["port"]!.DeepClone();
                }
                break;
        }
    }

    public static void OnUpdate(ResourceType type, JsonObject existing, JsonObject updated)
    {
        switch (type.Kind)
        {
            case "NetworkPolicy":
                DefaultNetworkPolicy(updated);
                break;
            case "Secret":
                FoldStringData(updated);
                break;
            case "Service":
                // Allocated values survive an update that does not mention them.
                var before = existing["spec"]!.AsObject();
                var after = updated["spec"] as JsonObject ?? (JsonObject)(updated["spec"] = new JsonObject());
                after["clusterIP"] ??= before["clusterIP"]?.DeepClone();
                after["type"] ??= before["type"]?.DeepClone();
                var oldPorts = before["ports"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
                foreach (var port in after["ports"]?.AsArray().OfType<JsonObject>() ?? [])
                {
                    var match = oldPorts.FirstOrDefault(p => p["port"]?.ToJsonString() == port["port"]?.ToJsonString());
                    if (match?["nodePort"] is { } nodePort && (string?)after["type"] is "NodePort" or "LoadBalancer")
                        port["nodePort"] ??= nodePort.DeepClone();
                    port["protocol"] ??= "TCP";
                    port["targetPort"] ??= port["port"]!.DeepClone();
                }
                break;
        }
    }

    // policyTypes: Ingress always, Egress when egress rules are given; a port's protocol: TCP.
    static void DefaultNetworkPolicy(JsonObject policy)
    {
        var spec = policy["spec"] as JsonObject ?? (JsonObject)(policy["spec"] = new JsonObject());
        if (spec["policyTypes"] is not JsonArray { Count: > 0 })
            spec["policyTypes"] = spec["egress"] is JsonArray { Count: > 0 } ? new JsonArray("Ingress", "Egress") : new JsonArray("Ingress");
        foreach (var direction in new[] { "ingress", "egress" })
        {
            foreach (var rule in spec[direction]?.AsArray().OfType<JsonObject>() ?? [])
            {
                foreach (var port in rule["ports"]?.AsArray().OfType<JsonObject>() ?? [])
                    port["protocol"] ??= "TCP";
            }
        }
    }

    static void FoldStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData)
            return;
        var data = secret["data"] as JsonObject ?? (JsonObject)(secret["data"] = new JsonObject());
        foreach (var (key, value) in stringData)
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes((string?)value ?? ""));
        secret.Remove("stringData");
    }
}
