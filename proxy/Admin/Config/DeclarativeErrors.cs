using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Http;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Store.ConfigChecks;
using Gateway.Proxy.Store.Scoped;

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

    /// <summary>
    /// A scoped document that collides with entities outside its scope: each document entity is reported with the
    /// field and a message naming the other entity, nested by kind and entity label as for plugin errors.
    /// </summary>
    public static AdminResponse Conflicts(IReadOnlyList<ScopeConflict> conflicts)
    {
        var fields = new JsonObject();
        var errors = new List<DeclarativeError>();
        foreach (var conflict in conflicts)
        {
            var label = ScopedReplace.Label(conflict.Kind, conflict.Entity);
            if (fields[conflict.Kind.Name] is not JsonObject byLabel) fields[conflict.Kind.Name] = byLabel = new JsonObject();
            if (byLabel[label] is not JsonObject entity) byLabel[label] = entity = new JsonObject();
            entity[conflict.Field] = conflict.Message;
            errors.Add(new DeclarativeError($"{conflict.Kind.Name}[{label}].{conflict.Field}", conflict.Message)
            {
                EntityType = conflict.Kind.Singular,
                EntityName = ConfigProblem.EndpointKeyValue(conflict.Kind, conflict.Entity),
                EntityId = conflict.Entity.Id,
                EntityTags = conflict.Entity.Tags,
            });
        }
        return Invalid("declarative config is invalid: " + LuaText.Write(fields), fields, errors);
    }

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
                if (error.EntityTags is { } tags) entry["entity_tags"] = new JsonArray([.. tags.Select(t => JsonValue.Create(t))]);
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
