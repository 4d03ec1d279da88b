using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer.Defaulting;

/// <summary>
/// The values the API server assigns itself when it stores a built-in object, after defaulting: a Service's
/// cluster IP and node ports, a Job's generated selector, a Pod's initial status. Unlike defaults, no
/// client's field manager owns them.
/// </summary>
sealed class Allocations
{
    int nextClusterIp = 10;
    int nextNodePort = 30000;

    public void OnCreate(ResourceType type, JsonObject obj)
    {
        if (type.IsCustom)
            return;
        switch ((type.Group, type.Kind))
        {
            case ("", "Service"):
                Service(PodSpecs.Child(obj, "spec"), previous: null);
                break;
            case ("", "Namespace"):
                PodSpecs.Child(obj, "spec")["finalizers"] = new JsonArray("kubernetes");
                break;
            case ("", "Pod"):
                Pod(obj);
                break;
            case ("batch", "Job"):
                JobSelector(obj);
                BuiltInDefaults.CopyTemplateLabels(obj);
                break;
        }
    }

    /// <summary>What the server assigned survives an update that does not mention it.</summary>
    public void OnUpdate(ResourceType type, JsonObject existing, JsonObject updated)
    {
        if (type.IsCustom)
            return;
        switch ((type.Group, type.Kind))
        {
            case ("", "Service"):
                Service(PodSpecs.Child(updated, "spec"), existing["spec"] as JsonObject);
                break;
            case ("", "Namespace"):
                PodSpecs.Child(updated, "spec")["finalizers"] ??= existing["spec"]?["finalizers"]?.DeepClone();
                break;
        }
    }

    void Service(JsonObject spec, JsonObject? previous)
    {
        var type = (string?)spec["type"];
        if (type == "ExternalName")
            return;
        spec["clusterIP"] ??= previous?["clusterIP"]?.DeepClone() ?? $"10.96.0.{nextClusterIp++ % 250 + 2}";
        spec["clusterIPs"] ??= previous?["clusterIPs"]?.DeepClone() ?? new JsonArray(spec["clusterIP"]!.DeepClone());
        spec["ipFamilies"] ??= previous?["ipFamilies"]?.DeepClone() ?? new JsonArray("IPv4");
        spec["ipFamilyPolicy"] ??= previous?["ipFamilyPolicy"]?.DeepClone() ?? "SingleStack";
        if (type is not ("NodePort" or "LoadBalancer"))
            return;
        var oldPorts = PodSpecs.Objects(previous?["ports"]).ToList();
        foreach (var port in PodSpecs.Objects(spec["ports"]))
        {
            var match = oldPorts.FirstOrDefault(p => p["port"]?.ToJsonString() == port["port"]?.ToJsonString());
            port["nodePort"] ??= match?["nodePort"]?.DeepClone() ?? nextNodePort++;
        }
    }

    // The Pod's first status, and what the admission plugins a cluster runs by default add.
    static void Pod(JsonObject pod)
    {
        var spec = PodSpecs.Child(pod, "spec");
        spec["serviceAccountName"] ??= "default";
        spec["serviceAccount"] ??= spec["serviceAccountName"]!.DeepClone();
        spec["priority"] ??= 0;
        spec["preemptionPolicy"] ??= "PreemptLowerPriority";
        var tolerations = spec["tolerations"] as JsonArray ?? (JsonArray)(spec["tolerations"] = new JsonArray());
        foreach (var taint in new[] { "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable" })
        {
            if (!tolerations.Any(t => (string?)t?["key"] == taint))
                tolerations.Add(new JsonObject { ["key"] = taint, ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 });
        }
        pod["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = QosClass(spec) };
    }

    static string QosClass(JsonObject spec)
    {
        var containers = PodSpecs.Objects(spec["containers"]).Concat(PodSpecs.Objects(spec["initContainers"])).ToList();
        var any = containers.Any(c => c["resources"]?["requests"] is JsonObject { Count: > 0 } || c["resources"]?["limits"] is JsonObject { Count: > 0 });
        if (!any)
            return "BestEffort";
        var guaranteed = containers.All(c => new[] { "cpu", "memory" }.All(resource =>
            c["resources"]?["limits"]?[resource] is { } limit
            && (c["resources"]?["requests"]?[resource] ?? limit).ToJsonString() == limit.ToJsonString()));
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    // Without manualSelector the server selects the Job's pods by its uid and labels the template to match.
    static void JobSelector(JsonObject job)
    {
        var spec = PodSpecs.Child(job, "spec");
        if (spec["manualSelector"] is JsonValue manual && (bool)manual)
            return;
        var uid = (string)job["metadata"]!["uid"]!;
        var name = (string)job["metadata"]!["name"]!;
        var labels = PodSpecs.Child(PodSpecs.Child(PodSpecs.Child(spec, "template"), "metadata"), "labels");
        labels["batch.kubernetes.io/controller-uid"] ??= uid;
        labels["batch.kubernetes.io/job-name"] ??= name;
        labels["controller-uid"] ??= uid;
        labels["job-name"] ??= name;
        var matchLabels = PodSpecs.Child(PodSpecs.Child(spec, "selector"), "matchLabels");
        matchLabels["batch.kubernetes.io/controller-uid"] ??= uid;
    }
}
