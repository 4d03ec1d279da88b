using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer;

/// <summary>The checks of built-in kinds that the defaults make reachable, with the API server's wording.</summary>
static class BuiltInValidation
{
    public static void Check(ResourceType type, string name, JsonObject obj)
    {
        if (type.Group == "batch" && type.Kind == "Job"
            && (string?)obj["spec"]?["template"]?["spec"]?["restartPolicy"] is { } policy and not ("OnFailure" or "Never"))
            throw ApiError.Invalid(type, name, [$"spec.template.spec.restartPolicy: Unsupported value: \"{policy}\": supported values: \"OnFailure\", \"Never\""]);
    }
}
