using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Http;
using Gateway.Proxy.Declarative;

namespace Gateway.Proxy.Admin.Config;

/// <summary>
/// Kong's "invalid declarative configuration" answer (code 14): the nested <c>fields</c> mirroring the document,
/// plus <c>flattened_errors</c>, one entry per entity with its field and entity errors.
/// </summary>
public static class DeclarativeErrors
{
    public static AdminResponse Invalid(string message, JsonObject fields, IReadOnlyList<DeclarativeError> errors) =>
        new(400, new JsonObject
        {
            ["code"] = 14,
            ["name"] = "invalid declarative configuration",
            ["message"] = message,
            ["fields"] = fields.DeepClone(),
            ["flattened_errors"] = Flatten(errors),
        });

    public static JsonArray Flatten(IReadOnlyList<DeclarativeError> errors)
    {
        var entries = new List<(string Location, JsonObject Entry)>();
        foreach (var error in errors)
        {
            if (error.EntityType is null) continue;
            var (location, field) = Split(error.Path);
            var entry = entries.Find(e => e.Location == location).Entry;
            if (entry is null)
            {
                entry = new JsonObject
                {
                    ["entity_type"] = error.EntityType,
                    ["entity_name"] = error.EntityName,
                    ["entity_id"] = error.EntityId?.ToString(),
                    ["errors"] = new JsonArray(),
                };
                entries.Add((location, entry));
            }
            var item = field is null
                ? new JsonObject { ["type"] = "entity", ["message"] = error.Message }
                : new JsonObject { ["type"] = "field", ["field"] = field, ["message"] = error.Message };
            entry["errors"]!.AsArray().Add(item);
        }
        var result = new JsonArray();
        foreach (var (_, entry) in entries) result.Add(entry);
        return result;
    }

    /// <summary>"services[0].routes[1].paths" → ("services[0].routes[1]", "paths"); an entity's own path has no field.</summary>
    private static (string Location, string? Field) Split(string path)
    {
        var close = path.LastIndexOf(']');
        if (close < 0) return (path, null);
        var field = path[(close + 1)..].TrimStart('.');
        return (path[..(close + 1)], field.Length == 0 ? null : field);
    }
}
