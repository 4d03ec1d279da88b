using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Store.Scoped;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Store.ConfigChecks;

namespace Gateway.Proxy.Declarative;

/// <summary>
/// Reads Kong's declarative configuration format (YAML or JSON) into a <see cref="ConfigData"/>, or reports
/// every error in it with its location. Pure: the clock is passed in, nothing is read or written.
/// </summary>
public static class DeclarativeParser
{
    public static DeclarativeResult Parse(string text, long? now = null, ConfigData? existing = null)
    {
        var (document, error) = DocumentReader.Read(text);
        if (error is not null)
        {
            var errors = new ErrorCollector();
            errors.Add(Location.Root, error.Message);
            return DeclarativeResult.Fail([error], errors.Fields);
        }
        return Parse(document, now, existing);
    }

    /// <summary>
    /// Reads an already parsed document (a POST /config JSON body). <paramref name="existing"/> is the stored
    /// configuration a scoped document (<c>_info.select_tags</c>) may reference through <c>default_lookup_tags</c>, and
    /// whose password hashes an entry posting the same password again keeps (<see cref="StoredPasswords"/>).
    /// </summary>
    /// <param name="validated">The entries an earlier document of the same Admin API validated, and where this one's go.</param>
    public static DeclarativeResult Parse(JsonNode? document, long? now = null, ConfigData? existing = null, ValidatedEntries? validated = null)
    {
        var errors = new ErrorCollector();
        if (document is not JsonObject root)
        {
            errors.Add(Location.Root, "expected an object with '_format_version' and entity arrays");
            return DeclarativeResult.Fail(errors.Errors, errors.Fields);
        }
        var transform = CheckMetaKeys(root, errors);
        var scope = DocumentScope.Read(root["_info"], errors);
        var pending = new List<PendingEntity>();
        foreach (var (key, value) in root)
        {
            if (DeclarativeCollections.MetaKeys.Contains(key)) continue;
            if (DeclarativeCollections.TopLevel(key) is { } kind)
                Collect(kind, value, Location.Root.Child(key), null, null, pending, errors);
            else
                errors.Add(Location.Root.Child(key), "unknown field");
        }

        if (scope.IsScoped) RequireSelectTags(pending, scope, errors);

        var timestamp = now ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var outside = scope.IsScoped && existing is not null ? new ScopeLookup(existing, scope) : ScopeLookup.None;
        var entities = new EntityAssembler(pending, errors, timestamp, outside, new StoredPasswords(existing), validated).Assemble();
        if (!errors.IsEmpty) return DeclarativeResult.Fail(errors.Errors, errors.Fields);
        return DeclarativeResult.Ok(ConfigData.From(0, entities), transform, scope);
    }

    /// <summary>
    /// As decK requires, every entry of a scoped document carries all its select tags: an entry without them would
    /// be written outside the scope and never be replaced or deleted by the next document.
    /// </summary>
    private static void RequireSelectTags(List<PendingEntity> pending, DocumentScope scope, ErrorCollector errors)
    {
        foreach (var item in pending)
        {
            if (ScopedReplace.CarriesAll(item.Tags, scope.SelectTags)) continue;
            errors.Add(item.Location.Child("tags"),
                "must contain the select tags of the document (_info.select_tags): " + string.Join(", ", scope.SelectTags), item.Info);
            item.Failed = true;
        }
    }

    private static bool CheckMetaKeys(JsonObject root, ErrorCollector errors)
    {
        var versionAt = Location.Root.Child("_format_version");
        switch (root["_format_version"])
        {
            case null:
                errors.Add(versionAt, "required field missing");
                break;
            case JsonValue v when v.TryGetValue<string>(out var version):
                if (!DeclarativeCollections.FormatVersions.Contains(version))
                    errors.Add(versionAt, "expected one of: " + string.Join(", ", DeclarativeCollections.FormatVersions));
                break;
            default:
                errors.Add(versionAt, "expected a string, one of: " + string.Join(", ", DeclarativeCollections.FormatVersions)
                    + " (quote it in YAML: _format_version: \"3.0\")");
                break;
        }
        var transform = true;
        if (root["_transform"] is { } flag)
        {
            if (flag is JsonValue b && b.TryGetValue<bool>(out var value)) transform = value;
            else errors.Add(Location.Root.Child("_transform"), "expected a boolean");
        }
        return transform;
    }

    /// <summary>Reads one array of entries of <paramref name="kind"/>, and the arrays nested in each entry.</summary>
    private static void Collect(EntityKind kind, JsonNode? node, Location at, PendingEntity? parent, FieldSpec? parentField,
        List<PendingEntity> pending, ErrorCollector errors)
    {
        if (node is null) return;
        if (node is not JsonArray array)
        {
            errors.Add(at, "expected an array");
            return;
        }
        for (var i = 0; i < array.Count; i++)
        {
            var itemAt = at.Item(i);
            var entry = ReadEntry(kind, array[i], parent is not null);
            if (entry is null)
            {
                errors.Add(itemAt, "expected a record");
                continue;
            }
            var body = new JsonObject();
            var nested = new List<(EntityKind Kind, FieldSpec Field, string Key, JsonNode? Value)>();
            foreach (var (key, value) in entry)
            {
                if (DeclarativeCollections.EntityMetaKeys.Contains(key)) continue;
                if (DeclarativeCollections.Nested(kind, key) is { } child) nested.Add((child.Child, child.ParentField, key, value));
                else body[key] = Copy(value);
            }
            var item = new PendingEntity(kind, itemAt, body, parent, parentField, i);
            pending.Add(item);
            if (parentField is not null && body.ContainsKey(parentField.Name))
            {
                errors.Add(itemAt.Child(parentField.Name),
                    $"must not be set here: the enclosing '{parent!.Kind.Name}' entry is the {parentField.Name}", item.Info);
                item.Failed = true;
            }
            foreach (var (childKind, field, key, value) in nested)
                Collect(childKind, value, itemAt.Child(key), item, field, pending, errors);
        }
    }

    /// <summary>
    /// A copy of an entry's value for the parser to rewrite. Strings and booleans are read out of the posted text once,
    /// here, rather than again by every check that reads them; numbers keep their JSON text.
    /// </summary>
    private static JsonNode? Copy(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj) copy[key] = Copy(value);
                return copy;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var item in array) items.Add(Copy(item));
                return items;
            case JsonValue value:
                return value.GetValueKind() switch
                {
                    JsonValueKind.String => JsonValue.Create(value.GetValue<string>()),
                    JsonValueKind.True => JsonValue.Create(true),
                    JsonValueKind.False => JsonValue.Create(false),
                    _ => value.DeepClone(),
                };
            default:
                return null;
        }
    }

    private static JsonObject? ReadEntry(EntityKind kind, JsonNode? node, bool nested)
    {
        if (node is JsonObject obj) return obj;
        if (nested && node is JsonValue v && v.TryGetValue<string>(out var text) && DeclarativeCollections.StringShorthand(kind) is { } field)
            return new JsonObject { [field] = text };
        return null;
    }
}
