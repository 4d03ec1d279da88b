using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer;

/// <summary>The fields built-in kinds refuse to change after creation, with the API server's wording.</summary>
static class ImmutableFields
{
    public static void Check(ResourceType type, string name, JsonObject existing, JsonObject updated)
    {
        var before = existing["spec"] as JsonObject;
        var after = updated["spec"] as JsonObject;
        if (before is null || after is null)
            return;
        switch (type.Kind)
        {
            case "StatefulSet":
                // Only these may change; everything else in the spec is fixed at creation.
                string[] mutable = ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];
                if (!JsonNode.DeepEquals(Without(before, mutable), Without(after, mutable)))
                    throw ApiError.Invalid(type, name, ["spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"]);
                break;
            case "Deployment":
                if (!JsonNode.DeepEquals(before["selector"], after["selector"]))
                    throw ApiError.Invalid(type, name, ["spec.selector: Invalid value: field is immutable"]);
                break;
            case "Job":
                if (!JsonNode.DeepEquals(before["selector"], after["selector"]))
                    throw ApiError.Invalid(type, name, ["spec.selector: Invalid value: field is immutable"]);
                if (!JsonNode.DeepEquals(before["template"], after["template"]))
                    throw ApiError.Invalid(type, name, ["spec.template: Invalid value: field is immutable"]);
                break;
        }
    }

    static JsonObject Without(JsonObject spec, string[] fields)
    {
        var copy = spec.DeepClone().AsObject();
        foreach (var field in fields)
            copy.Remove(field);
        return copy;
    }
}
