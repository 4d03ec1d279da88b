using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer.Defaulting;

/// <summary>
/// The defaults the API server fills into every pod spec (a Pod's, or a workload's pod template), as
/// core/v1 SetDefaults_PodSpec, _Container, _Probe, _HTTPGetAction, _Volume and their kin do.
/// </summary>
static class PodSpecDefaults
{
    const int DefaultFileMode = 420; // 0644

    public static void Apply(JsonObject podSpec)
    {
        podSpec["dnsPolicy"] ??= "ClusterFirst";
        podSpec["restartPolicy"] ??= "Always";
        podSpec["securityContext"] ??= new JsonObject();
        podSpec["terminationGracePeriodSeconds"] ??= 30;
        podSpec["schedulerName"] ??= "default-scheduler";
        foreach (var container in PodSpecs.Containers(podSpec))
            Container(container);
        foreach (var volume in PodSpecs.Objects(podSpec["volumes"]))
            Volume(volume);
    }

    static void Container(JsonObject container)
    {
        container["imagePullPolicy"] ??= Tag((string?)container["image"] ?? "") == "latest" ? "Always" : "IfNotPresent";
        container["terminationMessagePath"] ??= "/dev/termination-log";
        container["terminationMessagePolicy"] ??= "File";
        // Always serialized by the server, even when empty.
        container["resources"] ??= new JsonObject();
        foreach (var port in PodSpecs.Objects(container["ports"]))
            port["protocol"] ??= "TCP";
        foreach (var env in PodSpecs.Objects(container["env"]))
        {
            if (env["valueFrom"]?["fieldRef"] is JsonObject fieldRef)
                fieldRef["apiVersion"] ??= "v1";
        }
        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (container[probe] is JsonObject settings)
                Probe(settings);
        }
        foreach (var hook in new[] { "postStart", "preStop" })
        {
            if (container["lifecycle"]?[hook]?["httpGet"] is JsonObject httpGet)
                HttpGet(httpGet);
        }
    }

    static void Probe(JsonObject probe)
    {
        probe["timeoutSeconds"] ??= 1;
        probe["periodSeconds"] ??= 10;
        probe["successThreshold"] ??= 1;
        probe["failureThreshold"] ??= 3;
        if (probe["httpGet"] is JsonObject httpGet)
            HttpGet(httpGet);
    }

    static void HttpGet(JsonObject httpGet)
    {
        httpGet["path"] ??= "/";
        httpGet["scheme"] ??= "HTTP";
    }

    static void Volume(JsonObject volume)
    {
        // A volume without a source is an emptyDir.
        if (!volume.Any(pair => pair.Key != "name"))
            volume["emptyDir"] = new JsonObject();
        if (volume["secret"] is JsonObject secret)
            secret["defaultMode"] ??= DefaultFileMode;
        if (volume["configMap"] is JsonObject configMap)
            configMap["defaultMode"] ??= DefaultFileMode;
        if (volume["hostPath"] is JsonObject hostPath)
            hostPath["type"] ??= "";
        if (volume["downwardAPI"] is JsonObject downward)
        {
            downward["defaultMode"] ??= DefaultFileMode;
            FieldRefs(downward);
        }
        if (volume["projected"] is JsonObject projected)
        {
            projected["defaultMode"] ??= DefaultFileMode;
            foreach (var source in PodSpecs.Objects(projected["sources"]))
            {
                if (source["downwardAPI"] is JsonObject projectedDownward)
                    FieldRefs(projectedDownward);
                if (source["serviceAccountToken"] is JsonObject token)
                    token["expirationSeconds"] ??= 3600;
            }
        }
        if (volume["ephemeral"]?["volumeClaimTemplate"]?["spec"] is JsonObject claimSpec)
            claimSpec["volumeMode"] ??= "Filesystem";
    }

    static void FieldRefs(JsonObject downwardApi)
    {
        foreach (var item in PodSpecs.Objects(downwardApi["items"]))
        {
            if (item["fieldRef"] is JsonObject fieldRef)
                fieldRef["apiVersion"] ??= "v1";
        }
    }

    /// <summary>
    /// The tag of an image reference as the server's parser reads it: after the last ':' of the last path
    /// segment; "latest" when there is neither a tag nor a digest ("registry:5000/app" has no tag).
    /// </summary>
    public static string Tag(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at >= 0 ? image[..at] : image;
        var colon = name.IndexOf(':', name.LastIndexOf('/') + 1);
        var tag = colon >= 0 ? name[(colon + 1)..] : "";
        return tag.Length == 0 && at < 0 ? "latest" : tag;
    }
}
