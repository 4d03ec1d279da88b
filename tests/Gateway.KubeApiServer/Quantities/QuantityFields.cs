using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.KubeApiServer.Defaulting;

namespace Gateway.KubeApiServer.Quantities;

/// <summary>
/// The fields of built-in kinds that are quantities, rewritten in canonical form as the API server decodes
/// them: container resources, pod overhead, claim sizes, emptyDir limits. Resource lists are also rounded up
/// to millis, as the server's defaulting does. Fields of custom resources are left as written.
/// </summary>
static class QuantityFields
{
    public static void Canonicalize(ResourceType type, JsonObject obj)
    {
        if (type.IsCustom)
            return;
        if (PodSpecs.Of(type, obj) is { } podSpec)
            PodSpec(type, podSpec);
        if (type.Group == "" && type.Kind == "PersistentVolumeClaim")
            Claim(type, obj);
        if (type.Group == "apps" && type.Kind == "StatefulSet")
        {
            foreach (var template in PodSpecs.Objects(obj["spec"]?["volumeClaimTemplates"]))
                Claim(type, template);
        }
    }

    static void PodSpec(ResourceType type, JsonObject podSpec)
    {
        foreach (var container in PodSpecs.Containers(podSpec))
            Requirements(type, container["resources"]);
        Requirements(type, podSpec["resources"]);
        ResourceList(type, podSpec["overhead"]);
        foreach (var volume in PodSpecs.Objects(podSpec["volumes"]))
        {
            if (volume["emptyDir"] is JsonObject emptyDir && emptyDir["sizeLimit"] is { } limit)
                emptyDir["sizeLimit"] = Canonical(type, limit, roundToMillis: false);
            if (volume["ephemeral"]?["volumeClaimTemplate"] is JsonObject template)
                Claim(type, template);
        }
    }

    static void Claim(ResourceType type, JsonObject claim)
    {
        Requirements(type, claim["spec"]?["resources"]);
        ResourceList(type, claim["status"]?["capacity"]);
    }

    static void Requirements(ResourceType type, JsonNode? requirements)
    {
        ResourceList(type, requirements?["requests"]);
        ResourceList(type, requirements?["limits"]);
    }

    static void ResourceList(ResourceType type, JsonNode? list)
    {
        if (list is not JsonObject resources)
            return;
        foreach (var name in resources.Select(pair => pair.Key).ToList())
        {
            if (resources[name] is { } value)
                resources[name] = Canonical(type, value, roundToMillis: true);
        }
    }

    // A quantity may be written as a JSON string or number; it is stored as its canonical string.
    static string Canonical(ResourceType type, JsonNode value, bool roundToMillis)
    {
        var text = value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            _ => "",
        };
        var quantity = Quantity.TryParse(text)
            ?? throw ApiError.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: {Quantity.FormatError}");
        return (roundToMillis ? quantity.RoundUp(-3) : quantity).ToString();
    }
}
