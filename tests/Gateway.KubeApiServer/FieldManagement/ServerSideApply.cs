using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer.FieldManagement;

/// <summary>
/// An apply: the configuration is merged into the live object, becomes the applier's set of fields, and
/// the fields the applier set last time but no longer does are removed unless someone else owns them.
/// Changing a field another manager owns is a conflict, unless forced, which moves the field to the applier.
/// </summary>
public static class ServerSideApply
{
    /// <summary>The manager that gets the fields of an object nobody tracked before its first apply.</summary>
    public const string BeforeFirstApply = "before-first-apply";

    /// <summary>
    /// Applies <paramref name="config"/> by <paramref name="applier"/> to <paramref name="live"/> (null: the object
    /// does not exist yet) and returns the object to store, with its managedFields. Through the status
    /// subresource only the status is applied; through the main resource the status is left alone.
    /// </summary>
    public static JsonObject Apply(ResourceType type, JsonObject? live, JsonObject config, FieldManager applier, bool force)
    {
        var schema = FieldSchemas.For(type);
        var subresource = applier.Subresource;
        var current = ManagedFields.WithoutManagedFields(live) ?? new JsonObject();
        var entries = ManagedFields.Read(live?["metadata"]?["managedFields"]) ?? [];
        if (live is not null && entries.Count == 0)
        {
            var existing = ManagedFields.Changes(EmptyObject(type, current), current, schema, type, subresource);
            entries = ManagedFields.RecordUpdate(entries, existing, applier with { Manager = BeforeFirstApply, Operation = FieldManager.Update }, creating: true);
        }

        var applied = Scope(type, config, subresource);
        var merged = StructuredMerge.Merge(current, applied, schema)!.AsObject();
        var previous = entries.FirstOrDefault(e => e.Who.SameAs(applier));
        var appliedFields = ManagedFields.Ownable(StructuredMerge.ToFieldSet(applied, schema), type, subresource);
        entries = entries.Where(e => !ReferenceEquals(e, previous)).Append(new ManagedEntry(applier, previous?.Time, appliedFields)).ToList();
        if (previous is not null)
        {
            var owned = entries.Aggregate(new FieldSet(), (all, e) => all.Union(e.Fields));
            StructuredMerge.Prune(merged, previous.Fields, owned, schema);
        }

        var changes = ManagedFields.Changes(current, merged, schema, type, subresource);
        var conflicts = entries
            .Where(e => !e.Who.SameAs(applier))
            .SelectMany(e => e.Fields.Intersection(changes.Changed).Members().Select(path => (e.Who, Path: FieldSet.Describe(path))))
            .ToList();
        if (conflicts.Count > 0 && !force)
            throw Conflict(conflicts);
        entries = ManagedFields.TakeAway(entries, changes.Changed, changes.Removed, except: applier);

        var changed = !JsonNode.DeepEquals(current, merged);
        if (changed || previous is null)
            entries = entries.Select(e => e.Who.SameAs(applier) ? e with { Time = ManagedFields.Now() } : e).ToList();
        var metadata = merged["metadata"] as JsonObject ?? (JsonObject)(merged["metadata"] = new JsonObject());
        if (ManagedFields.Write(entries) is { } written)
            metadata["managedFields"] = written;
        return merged;
    }

    // What an applier through this endpoint configures: the status alone through /status, all but the status otherwise.
    static JsonObject Scope(ResourceType type, JsonObject config, string? subresource)
    {
        if (subresource == "status")
            return new JsonObject { ["status"] = config["status"]?.DeepClone() };
        var scoped = config.DeepClone().AsObject();
        if (type.HasStatus)
            scoped.Remove("status");
        return scoped;
    }

    /// <summary>
    /// What <paramref name="obj"/> was before anything was written into it, for the fields its creator owns: a
    /// built-in kind's metadata and spec always exist (the server's Go types have them), a custom resource's spec does not.
    /// </summary>
    public static JsonObject EmptyObject(ResourceType type, JsonObject obj)
    {
        var empty = new JsonObject { ["metadata"] = new JsonObject() };
        if (!type.IsCustom && obj["spec"] is JsonObject)
            empty["spec"] = new JsonObject();
        return empty;
    }

    // The API server's wording: one conflict is told inline, several are listed by manager.
    static ApiError Conflict(List<(FieldManager Who, string Path)> conflicts)
    {
        string message;
        if (conflicts.Count == 1)
            message = $"Apply failed with 1 conflict: conflict with {conflicts[0].Who}: {conflicts[0].Path}";
        else
        {
            var lines = conflicts
                .GroupBy(c => c.Who.ToString())
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .SelectMany(g => g.Select(c => $"- {c.Path}").Prepend($"conflicts with {g.Key}:"));
            message = $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
        }
        var causes = new JsonArray(conflicts
            .Select(c => (JsonNode)new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = $"conflict with {c.Who}", ["field"] = c.Path })
            .ToArray());
        return new ApiError(409, "Conflict", message) { Details = new JsonObject { ["causes"] = causes } };
    }
}
