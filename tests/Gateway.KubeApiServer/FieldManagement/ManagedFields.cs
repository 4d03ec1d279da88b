using System.Globalization;
using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer.FieldManagement;

/// <summary>Who wrote fields: a manager, by Apply or Update, through the main resource or a subresource.</summary>
public sealed record FieldManager(string Manager, string Operation, string ApiVersion, string? Subresource)
{
    public const string Apply = "Apply";
    public const string Update = "Update";

    /// <summary>An appliers' entry is the same whatever version it applied last; an updater has one per version.</summary>
    public bool SameAs(FieldManager other) =>
        Manager == other.Manager && Operation == other.Operation && Subresource == other.Subresource
        && (Operation == Apply || ApiVersion == other.ApiVersion);

    /// <summary>As conflicts name it: "kubectl", or "kubectl" using apps/v1 for an updater.</summary>
    public override string ToString()
    {
        var text = $"\"{Manager}\"";
        if (!string.IsNullOrEmpty(Subresource))
            text += $" with subresource \"{Subresource}\"";
        return Operation == Update ? $"{text} using {ApiVersion}" : text;
    }
}

/// <summary>One entry of metadata.managedFields.</summary>
public sealed record ManagedEntry(FieldManager Who, string? Time, FieldSet Fields);

/// <summary>
/// metadata.managedFields: reading and writing the entries, and the bookkeeping every write does. A write
/// takes the fields it changed from every other manager and gives them to its own; fields it removed are
/// nobody's any more. The object's identity and server-kept metadata are never owned, and each of the
/// main resource and the status subresource owns only its own part of the object.
/// </summary>
public static class ManagedFields
{
    static readonly FieldSet Unowned = Paths(
        ["f:apiVersion"], ["f:kind"], ["f:metadata"], ["f:metadata", "f:name"], ["f:metadata", "f:namespace"],
        ["f:metadata", "f:creationTimestamp"], ["f:metadata", "f:selfLink"], ["f:metadata", "f:uid"], ["f:metadata", "f:clusterName"],
        ["f:metadata", "f:generation"], ["f:metadata", "f:managedFields"], ["f:metadata", "f:resourceVersion"]);

    static readonly FieldSet Status = Paths(["f:status"]);

    static FieldSet Paths(params string[][] paths)
    {
        var set = new FieldSet();
        foreach (var path in paths)
            set.Insert(path);
        return set;
    }

    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The entries of an object; null when they cannot be read (the server then starts afresh, as a real one does).</summary>
    public static List<ManagedEntry>? Read(JsonNode? managedFields)
    {
        if (managedFields is not JsonArray entries)
            return [];
        var result = new List<ManagedEntry>();
        foreach (var entry in entries)
        {
            var operation = (string?)entry?["operation"];
            var apiVersion = (string?)entry?["apiVersion"];
            if (operation is not (FieldManager.Apply or FieldManager.Update) || string.IsNullOrEmpty(apiVersion) || (string?)entry!["fieldsType"] != "FieldsV1")
                return null;
            FieldSet fields;
            try
            {
                fields = FieldSet.FromFieldsV1(entry["fieldsV1"] as JsonObject ?? []);
            }
            catch (FormatException)
            {
                return null;
            }
            var who = new FieldManager((string?)entry["manager"] ?? "", operation, apiVersion, (string?)entry["subresource"] is { Length: > 0 } sub ? sub : null);
            result.Add(new ManagedEntry(who, (string?)entry["time"], fields));
        }
        return result;
    }

    /// <summary>An empty list, or a list of one empty entry: how a client asks for managedFields to be cleared.</summary>
    public static bool IsReset(JsonNode? managedFields) =>
        managedFields is JsonArray { Count: 0 } || managedFields is JsonArray { Count: 1 } single && single[0] is JsonObject { Count: 0 };

    /// <summary>The entries as the server writes them: appliers first, then by time, manager, version and subresource.</summary>
    public static JsonArray? Write(IEnumerable<ManagedEntry> entries)
    {
        var sorted = entries
            .OrderBy(e => e.Who.Operation, StringComparer.Ordinal)
            .ThenBy(e => e.Time ?? "", StringComparer.Ordinal)
            .ThenBy(e => e.Who.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.Who.ApiVersion, StringComparer.Ordinal)
            .ThenBy(e => e.Who.Subresource ?? "", StringComparer.Ordinal)
            .ToList();
        if (sorted.Count == 0)
            return null;
        var result = new JsonArray();
        foreach (var entry in sorted)
        {
            var encoded = new JsonObject
            {
                ["manager"] = entry.Who.Manager,
                ["operation"] = entry.Who.Operation,
                ["apiVersion"] = entry.Who.ApiVersion,
            };
            if (entry.Time is not null)
                encoded["time"] = entry.Time;
            encoded["fieldsType"] = "FieldsV1";
            encoded["fieldsV1"] = entry.Fields.ToFieldsV1();
            if (entry.Who.Subresource is not null)
                encoded["subresource"] = entry.Who.Subresource;
            result.Add(encoded);
        }
        return result;
    }

    /// <summary>The part of <paramref name="fields"/> a writer through <paramref name="subresource"/> can own.</summary>
    public static FieldSet Ownable(FieldSet fields, ResourceType type, string? subresource)
    {
        var scoped = subresource == "status" ? fields.Only("f:status") : type.HasStatus ? fields.RecursiveDifference(Status) : fields;
        return scoped.Difference(Unowned);
    }

    static Comparison Ownable(Comparison comparison, ResourceType type, string? subresource) => new(
        Ownable(comparison.Added, type, subresource), Ownable(comparison.Modified, type, subresource), Ownable(comparison.Removed, type, subresource));

    /// <summary>What <paramref name="before"/> → <paramref name="after"/> changes, as far as <paramref name="subresource"/> writes it.</summary>
    public static Comparison Changes(JsonObject? before, JsonObject after, SchemaNode schema, ResourceType type, string? subresource) =>
        Ownable(StructuredMerge.Compare(WithoutManagedFields(before), WithoutManagedFields(after), schema), type, subresource);

    /// <summary>
    /// The bookkeeping of a create, update or non-apply patch by <paramref name="writer"/>: it owns what it
    /// changed, which no other manager owns any more. An object nobody tracked before is not tracked after
    /// an update; a created one always is.
    /// </summary>
    public static List<ManagedEntry> RecordUpdate(List<ManagedEntry> entries, Comparison changes, FieldManager writer, bool creating)
    {
        if (entries.Count == 0 && !creating)
            return entries;
        var result = TakeAway(entries, changes.Changed, changes.Removed, except: null);
        var current = changes.Changed.Difference(Unowned);
        var index = result.FindIndex(e => e.Who.SameAs(writer));
        if (current.IsEmpty)
            return result;
        var time = Now();
        if (index >= 0)
            result[index] = new ManagedEntry(writer, time, result[index].Fields.Union(current));
        else
            result.Add(new ManagedEntry(writer, time, current));
        return result;
    }

    /// <summary>Every entry but <paramref name="except"/> loses <paramref name="taken"/> and <paramref name="removed"/>; entries left empty go.</summary>
    public static List<ManagedEntry> TakeAway(IEnumerable<ManagedEntry> entries, FieldSet taken, FieldSet removed, FieldManager? except) =>
        entries
            .Select(e => except is not null && e.Who.SameAs(except) ? e : e with { Fields = e.Fields.Difference(taken).Difference(removed) })
            .Where(e => !e.Fields.IsEmpty)
            .ToList();

    public static JsonObject? WithoutManagedFields(JsonObject? obj)
    {
        if (obj?["metadata"]?["managedFields"] is null)
            return obj;
        var copy = obj.DeepClone().AsObject();
        copy["metadata"]!.AsObject().Remove("managedFields");
        return copy;
    }
}
