using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Admin.Http;

/// <summary>
/// Kong's database error bodies: <c>{"code": N, "name": "…", "message": "…", "fields": {…}}</c>, with Kong's
/// codes, names, status codes and message wording, so that clients written against Kong read them unchanged.
/// </summary>
public static class KongErrors
{
    public static AdminException SchemaViolation(FieldErrors errors)
    {
        var fields = errors.ToJson();
        return Error(400, 2, "schema violation", SchemaMessage(fields), fields);
    }

    /// <summary>
    /// Kong's summary line: <c>2 schema violations (a: …; b.c: …)</c>, entity-wide messages first, then fields in
    /// sorted order, nested records flattened with dots.
    /// </summary>
    public static string SchemaMessage(JsonObject fields)
    {
        var parts = new List<string>();
        Flatten(fields, "", parts);
        var noun = parts.Count == 1 ? "schema violation" : $"{parts.Count} schema violations";
        return $"{noun} ({string.Join("; ", parts)})";
    }

    private static void Flatten(JsonNode? node, string prefix, List<string> parts)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj[FieldErrors.EntityKey] is { } entity) Flatten(entity, prefix.TrimEnd('.'), parts);
                foreach (var (key, value) in obj.Where(p => p.Key != FieldErrors.EntityKey).OrderBy(p => p.Key, StringComparer.Ordinal))
                    Flatten(value, value is JsonObject ? prefix + key + "." : prefix + key, parts);
                break;
            case JsonArray array:
                foreach (var item in array) Flatten(item, prefix, parts);
                break;
            default:
                parts.Add((prefix.Length == 0 ? "" : prefix + ": ") + node?.ToString());
                break;
        }
    }

    /// <summary>Another entity already has these unique values (409).</summary>
    public static AdminException UniqueViolation(EntityKind kind, IReadOnlyDictionary<string, string?> values)
    {
        var fields = new JsonObject();
        var keys = values.Keys.Order(StringComparer.Ordinal).ToList();
        var text = new StringBuilder("{");
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            var value = values[key];
            var isReference = kind.Schema.Field(key)?.Kind == FieldKind.Reference;
            if (i > 0) text.Append(',');
            text.Append(key).Append('=');
            if (value is null)
            {
                text.Append("null");
                fields[key] = null;
            }
            else if (isReference)
            {
                text.Append("{id=").Append(Quote(value)).Append('}');
                fields[key] = new JsonObject { ["id"] = value };
            }
            else
            {
                text.Append(Quote(value));
                fields[key] = value;
            }
        }
        text.Append('}');
        return Error(409, 5, "unique constraint violation", $"UNIQUE violation detected on '{text}'", fields);
    }

    /// <summary>A reference by id to an entity that does not exist.</summary>
    public static AdminException MissingReference(string field, EntityKind referenced, Guid id) =>
        Error(400, 4, "foreign key violation",
            $"the foreign key '{{id={Quote(Id(id))}}}' does not reference an existing '{referenced.Name}' entity.",
            new JsonObject { [field] = new JsonObject { ["id"] = Id(id) } });

    /// <summary>An id in a reference list (a service's ca_certificates) that names no entity; the field lists it.</summary>
    public static AdminException MissingListedReference(string field, EntityKind referenced, Guid id) =>
        Error(400, 4, "foreign key violation",
            $"the foreign key '{{id={Quote(Id(id))}}}' does not reference an existing '{referenced.Name}' entity.",
            new JsonObject { [field] = new JsonArray(Id(id)) });

    /// <summary>A reference by endpoint key ("service.name=foo") that matches no entity.</summary>
    public static AdminException UnresolvedReference(string field, string keyField, string value, EntityKind referenced)
    {
        var detail = $"the foreign key cannot be resolved with '{{{keyField}={Quote(value)}}}' for an existing '{referenced.Name}' entity";
        return Error(400, 13, "foreign keys unresolved", $"foreign key unresolved ({field}.{keyField}: {detail})",
            new JsonObject { [field] = new JsonObject { [keyField] = detail } });
    }

    /// <summary>Deleting an entity that others still reference without cascading.</summary>
    public static AdminException ReferencedBy(EntityKind referencing, EntityKind deleted) =>
        Error(400, 4, "foreign key violation",
            $"an existing '{referencing.Name}' entity references this '{deleted.Name}' entity",
            new JsonObject { ["@referenced_by"] = referencing.Name });

    public static AdminException InvalidSize(string message) => Error(400, 9, "invalid size", message, null);

    /// <summary>Bad listing options such as mixed tag operators; Kong names them under "options".</summary>
    public static AdminException InvalidOption(string option, string message) =>
        new(new AdminResponse(400, new JsonObject
        {
            ["code"] = 11,
            ["name"] = "invalid options",
            ["message"] = $"invalid option ({option}: {message})",
            ["options"] = new JsonObject { [option] = message },
        }));

    /// <summary>DB-less mode: entities cannot be written one by one (405).</summary>
    public static AdminException OperationUnsupported(string operation, EntityKind kind, string? byField) =>
        Error(405, 12, "operation unsupported",
            byField is null
                ? $"cannot {operation} '{kind.Name}' entities when not using a database"
                : $"cannot {operation} '{kind.Name}' entities by '{byField}' when not using a database",
            null);

    public static AdminException Error(int status, int code, string name, string message, JsonObject? fields)
    {
        var body = new JsonObject { ["code"] = code, ["name"] = name, ["message"] = message };
        if (fields is not null) body["fields"] = fields;
        return new AdminException(new AdminResponse(status, body));
    }

    private static string Id(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    // Lua's %q-like quoting as Kong's pretty printer writes values inside messages.
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
