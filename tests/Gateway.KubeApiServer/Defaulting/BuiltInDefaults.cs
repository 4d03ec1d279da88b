using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer.Defaulting;

/// <summary>
/// The defaults the API server applies when it decodes a built-in object, on every create and update, so
/// that what is stored is what a real cluster stores (the SetDefaults_* functions of the API groups).
/// Values the server assigns itself (cluster IPs, a Job's selector) are in <see cref="Allocations"/>.
/// </summary>
static class BuiltInDefaults
{
    public static void Apply(ResourceType type, JsonObject obj)
    {
        if (type.IsCustom)
            return;
        if (PodSpecs.Of(type, obj) is { } podSpec)
            PodSpecDefaults.Apply(podSpec);
        switch ((type.Group, type.Kind))
        {
            case ("", "Secret"):
                FoldStringData(obj);
                obj["type"] ??= "Opaque";
                break;
            case ("", "Namespace"):
                // Set on every namespace since Kubernetes 1.21, so that selectors can name a namespace.
                PodSpecs.Child(PodSpecs.Child(obj, "metadata"), "labels")["kubernetes.io/metadata.name"] = (string?)obj["metadata"]!["name"];
                PodSpecs.Child(obj, "status")["phase"] ??= "Active";
                break;
            case ("", "Service"):
                Service(PodSpecs.Child(obj, "spec"));
                break;
            case ("", "Pod"):
                Pod(PodSpecs.Child(obj, "spec"));
                break;
            case ("", "PersistentVolumeClaim"):
                PodSpecs.Child(obj, "spec")["volumeMode"] ??= "Filesystem";
                PodSpecs.Child(obj, "status")["phase"] ??= "Pending";
                break;
            case ("apps", "Deployment"):
                Deployment(PodSpecs.Child(obj, "spec"));
                break;
            case ("apps", "StatefulSet"):
                StatefulSet(PodSpecs.Child(obj, "spec"));
                break;
            case ("batch", "Job"):
                Job(obj, PodSpecs.Child(obj, "spec"));
                break;
            case ("networking.k8s.io", "NetworkPolicy"):
                NetworkPolicy(PodSpecs.Child(obj, "spec"));
                break;
            case ("discovery.k8s.io", "EndpointSlice"):
                foreach (var port in PodSpecs.Objects(obj["ports"]))
                {
                    port["name"] ??= "";
                    port["protocol"] ??= "TCP";
                }
                break;
        }
    }

    static void Service(JsonObject spec)
    {
        spec["sessionAffinity"] ??= "None";
        spec["type"] ??= "ClusterIP";
        var type = (string?)spec["type"];
        foreach (var port in PodSpecs.Objects(spec["ports"]))
        {
            port["protocol"] ??= "TCP";
            if (port["targetPort"] is null || port["targetPort"]!.ToJsonString() is "0" or "\"\"")
                port["targetPort"] = port["port"]?.DeepClone();
        }
        var externallyAccessible = type is "NodePort" or "LoadBalancer" || (type == "ClusterIP" && spec["externalIPs"] is JsonArray { Count: > 0 });
        if (externallyAccessible)
            spec["externalTrafficPolicy"] ??= "Cluster";
        if (type is "NodePort" or "LoadBalancer" or "ClusterIP")
            spec["internalTrafficPolicy"] ??= "Cluster";
        if (type == "LoadBalancer")
            spec["allocateLoadBalancerNodePorts"] ??= true;
    }

    // SetDefaults_Pod: only a Pod (not a pod template) gets these.
    static void Pod(JsonObject spec)
    {
        spec["enableServiceLinks"] ??= true;
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in PodSpecs.Objects(spec[list]))
            {
                if (container["resources"]?["limits"] is not JsonObject limits)
                    continue;
                var requests = PodSpecs.Child(container["resources"]!.AsObject(), "requests");
                foreach (var (name, value) in limits)
                    requests[name] ??= value?.DeepClone();
            }
        }
    }

    static void Deployment(JsonObject spec)
    {
        spec["replicas"] ??= 1;
        var strategy = PodSpecs.Child(spec, "strategy");
        strategy["type"] ??= "RollingUpdate";
        if ((string?)strategy["type"] == "RollingUpdate")
        {
            var rollingUpdate = PodSpecs.Child(strategy, "rollingUpdate");
            rollingUpdate["maxUnavailable"] ??= "25%";
            rollingUpdate["maxSurge"] ??= "25%";
        }
        spec["revisionHistoryLimit"] ??= 10;
        spec["progressDeadlineSeconds"] ??= 600;
    }

    static void StatefulSet(JsonObject spec)
    {
        spec["podManagementPolicy"] ??= "OrderedReady";
        var strategy = PodSpecs.Child(spec, "updateStrategy");
        if (strategy["type"] is null)
        {
            strategy["type"] = "RollingUpdate";
            strategy["rollingUpdate"] ??= new JsonObject();
        }
        // A RollingUpdate strategy written without rollingUpdate stays without it, as on a real server.
        if ((string?)strategy["type"] == "RollingUpdate" && strategy["rollingUpdate"] is JsonObject rollingUpdate)
            rollingUpdate["partition"] ??= 0;
        var retention = PodSpecs.Child(spec, "persistentVolumeClaimRetentionPolicy");
        retention["whenDeleted"] ??= "Retain";
        retention["whenScaled"] ??= "Retain";
        spec["replicas"] ??= 1;
        spec["revisionHistoryLimit"] ??= 10;
        foreach (var template in PodSpecs.Objects(spec["volumeClaimTemplates"]))
        {
            PodSpecs.Child(template, "spec")["volumeMode"] ??= "Filesystem";
            PodSpecs.Child(template, "status")["phase"] ??= "Pending";
        }
    }

    static void Job(JsonObject job, JsonObject spec)
    {
        if (spec["completions"] is null && spec["parallelism"] is null)
            spec["completions"] = 1;
        spec["parallelism"] ??= 1;
        spec["backoffLimit"] ??= spec["backoffLimitPerIndex"] is null ? 6 : int.MaxValue;
        spec["completionMode"] ??= "NonIndexed";
        spec["suspend"] ??= false;
        spec["podReplacementPolicy"] ??= spec["podFailurePolicy"] is null ? "TerminatingOrFailed" : "Failed";
        CopyTemplateLabels(job);
    }

    /// <summary>A Job without labels of its own takes its pod template's.</summary>
    public static void CopyTemplateLabels(JsonObject job)
    {
        var metadata = PodSpecs.Child(job, "metadata");
        if (job["spec"]?["template"]?["metadata"]?["labels"] is JsonObject { Count: > 0 } labels && metadata["labels"] is not JsonObject { Count: > 0 })
            metadata["labels"] = labels.DeepClone();
    }

    // policyTypes: Ingress always, Egress when egress rules are given; a port's protocol: TCP.
    static void NetworkPolicy(JsonObject spec)
    {
        if (spec["policyTypes"] is not JsonArray { Count: > 0 })
            spec["policyTypes"] = spec["egress"] is JsonArray { Count: > 0 } ? new JsonArray("Ingress", "Egress") : new JsonArray("Ingress");
        foreach (var direction in new[] { "ingress", "egress" })
        {
            foreach (var rule in PodSpecs.Objects(spec[direction]))
            {
                foreach (var port in PodSpecs.Objects(rule["ports"]))
                    port["protocol"] ??= "TCP";
            }
        }
    }

    static void FoldStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData)
            return;
        var data = PodSpecs.Child(secret, "data");
        foreach (var (key, value) in stringData)
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes((string?)value ?? ""));
        secret.Remove("stringData");
    }
}
