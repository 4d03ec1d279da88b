using System.Text.Json.Nodes;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>
/// Plays the kubelet and the built-in controllers, which the in-memory API server does not have: it
/// writes the statuses that running pods would produce (StatefulSet ready, Job succeeded or failed,
/// Deployment available), by hand or, with <see cref="RunAsync"/>, as soon as a workload appears.
/// </summary>
sealed class Kubelet(KubeApiServer.KubeApiServer server, string ns = "default")
{
    static long Generation(JsonObject obj) => (long?)obj["metadata"]!["generation"] ?? 1;
    static int Replicas(JsonObject obj) => (int?)obj["spec"]!["replicas"] ?? 1;

    public void StatefulSetReady(string name)
    {
        var sts = server.Get("apps/v1", "StatefulSet", ns, name);
        var replicas = Replicas(sts);
        server.Patch("apps/v1", "StatefulSet", ns, name, new JsonObject
        {
            ["status"] = new JsonObject { ["observedGeneration"] = Generation(sts), ["replicas"] = replicas, ["readyReplicas"] = replicas, ["currentReplicas"] = replicas, ["updatedReplicas"] = replicas },
        }, status: true);
    }

    /// <summary>
    /// The StatefulSet controller's volume claims for its pods, from the claim templates. With the retention
    /// policy's <c>whenDeleted: Delete</c> the StatefulSet owns them, so they go when it goes.
    /// </summary>
    public void CreateClaims(string name)
    {
        var sts = server.Get("apps/v1", "StatefulSet", ns, name);
        var deleteWithSet = (string?)sts["spec"]!["persistentVolumeClaimRetentionPolicy"]?["whenDeleted"] == "Delete";
        for (var ordinal = 0; ordinal < Replicas(sts); ordinal++)
        {
            foreach (var template in sts["spec"]!["volumeClaimTemplates"]!.AsArray().OfType<JsonObject>())
            {
                var metadata = new JsonObject
                {
                    ["name"] = $"{template["metadata"]!["name"]}-{name}-{ordinal}",
                    ["labels"] = template["metadata"]!["labels"]?.DeepClone(),
                };
                if (deleteWithSet)
                    metadata["ownerReferences"] = new JsonArray(new JsonObject
                    {
                        ["apiVersion"] = "apps/v1", ["kind"] = "StatefulSet", ["name"] = name, ["uid"] = sts["metadata"]!["uid"]!.DeepClone(),
                    });
                server.Create("v1", "PersistentVolumeClaim", ns, new JsonObject { ["metadata"] = metadata, ["spec"] = template["spec"]!.DeepClone() });
            }
        }
    }

    public void DeploymentAvailable(string name)
    {
        var deployment = server.Get("apps/v1", "Deployment", ns, name);
        var replicas = Replicas(deployment);
        server.Patch("apps/v1", "Deployment", ns, name, new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = Generation(deployment), ["replicas"] = replicas, ["updatedReplicas"] = replicas,
                ["readyReplicas"] = replicas, ["availableReplicas"] = replicas,
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Available", ["status"] = "True", ["reason"] = "MinimumReplicasAvailable" }),
            },
        }, status: true);
    }

    public void JobSucceeded(string name) =>
        server.Patch("batch/v1", "Job", ns, name, new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["succeeded"] = 1,
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Complete", ["status"] = "True" }),
            },
        }, status: true);

    public void JobFailed(string name, string reason, string message) =>
        server.Patch("batch/v1", "Job", ns, name, new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["failed"] = 5,
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Failed", ["status"] = "True", ["reason"] = reason, ["message"] = message }),
            },
        }, status: true);

    /// <summary>Makes every workload in the namespace ready as soon as it appears or changes, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            foreach (var sts in server.List("apps/v1", "StatefulSet", ns).Where(NotCurrent))
                StatefulSetReady(Name(sts));
            foreach (var deployment in server.List("apps/v1", "Deployment", ns).Where(NotCurrent))
                DeploymentAvailable(Name(deployment));
            foreach (var job in server.List("batch/v1", "Job", ns).Where(j => j["status"]?["succeeded"] is null))
                JobSucceeded(Name(job));
            try
            {
                await Task.Delay(5, cancel);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    static string Name(JsonObject obj) => (string)obj["metadata"]!["name"]!;

    static bool NotCurrent(JsonObject workload) =>
        (long?)workload["status"]?["observedGeneration"] != Generation(workload)
        || (int?)workload["status"]?["readyReplicas"] != Replicas(workload);
}
