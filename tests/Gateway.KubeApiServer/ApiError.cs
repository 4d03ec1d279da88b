using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer;

/// <summary>A failure the server reports as a metav1.Status body with the matching HTTP code.</summary>
public sealed class ApiError(int code, string reason, string message) : Exception(message)
{
    public int Code { get; } = code;
    public string Reason { get; } = reason;

    /// <summary>The Status details: the object's group, kind and name, or the causes of a conflict.</summary>
    public JsonObject? Details { get; init; }

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        if (Details is not null)
            status["details"] = Details.DeepClone();
        status["code"] = Code;
        return status;
    }

    public static ApiError NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedName} \"{name}\" not found");

    public static ApiError AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedName} \"{name}\" already exists");

    public static ApiError Conflict(ResourceType type, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedName} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");

    public static ApiError Invalid(ResourceType type, string name, IEnumerable<string> causes)
    {
        var kind = type.Group.Length == 0 ? type.Kind : $"{type.Kind}.{type.Group}";
        return new(422, "Invalid", $"{kind} \"{name}\" is invalid: {string.Join(", ", causes)}");
    }

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>
    /// 403 as the API server words it: "deployments.apps "web" is forbidden: User "u" cannot get resource ...",
    /// with the refusal's <paramref name="reason"/> after the <paramref name="message"/> when there is one.
    /// </summary>
    public static ApiError Forbidden(string group, string resource, string name, string message, string reason)
    {
        var error = message.Length == 0 ? reason : reason.Length == 0 ? message : $"{message}: {reason}";
        var qualified = group.Length == 0 ? resource : $"{resource}.{group}";
        var text = qualified.Length == 0 ? $"forbidden: {error}"
            : name.Length == 0 ? $"{qualified} is forbidden: {error}"
            : $"{qualified} \"{name}\" is forbidden: {error}";
        // Empty details are left out, as Go's omitempty does.
        var details = new JsonObject();
        foreach (var (key, value) in new[] { ("name", name), ("group", group), ("kind", resource) })
        {
            if (value.Length > 0)
                details[key] = value;
        }
        return new ApiError(403, "Forbidden", text) { Details = details };
    }

    public static ApiError Gone(string message) => new(410, "Expired", message);
}
