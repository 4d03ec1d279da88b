using System.Text.Json.Nodes;

namespace Gateway.Operator.Sync;

/// <summary>
/// Takes the entities of some source objects out of a document, and every entity that refers to one taken out (a
/// route to its service, a plugin to its route or consumer, a credential to its consumer, a target to its upstream,
/// an SNI to its certificate), so that what is left is a document the proxy can accept on its own.
/// </summary>
public static class DocumentPruning
{
    /// <summary>A copy of <paramref name="document"/> without the entities of <paramref name="sources"/>.</summary>
    public static JsonObject Without(JsonObject document, IReadOnlySet<(string Kind, string Namespace, string Name)> sources)
    {
        var pruned = (JsonObject)document.DeepClone();
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, entries) in Collections(pruned))
            RemoveWhere(entries, entity => sources.Contains(SourceOf(entity)), removed);
        // References only point at entities listed earlier in the chain, but a fixed point is simpler to trust.
        while (true)
        {
            var before = removed.Count;
            foreach (var (_, entries) in Collections(pruned))
                RemoveWhere(entries, entity => RefersTo(entity, removed), removed);
            if (removed.Count == before)
                return pruned;
        }
    }

    /// <summary>The source object named by an entity's <c>k8s-*</c> tags ("" for a tag it lacks).</summary>
    public static (string Kind, string Namespace, string Name) SourceOf(JsonObject entity)
    {
        string kind = "", ns = "", name = "";
        foreach (var tag in entity["tags"] as JsonArray ?? [])
        {
            var text = (string?)tag ?? "";
            if (text.StartsWith("k8s-kind:", StringComparison.Ordinal)) kind = text["k8s-kind:".Length..];
            else if (text.StartsWith("k8s-namespace:", StringComparison.Ordinal)) ns = text["k8s-namespace:".Length..];
            else if (text.StartsWith("k8s-name:", StringComparison.Ordinal)) name = text["k8s-name:".Length..];
        }
        return (kind, ns, name);
    }

    static IEnumerable<(string Name, JsonArray Entries)> Collections(JsonObject document) =>
        document.Where(p => p.Value is JsonArray).Select(p => (p.Key, (JsonArray)p.Value!)).ToList();

    static void RemoveWhere(JsonArray entries, Func<JsonObject, bool> remove, HashSet<string> removed)
    {
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            if (entries[i] is JsonObject entity && remove(entity))
            {
                if ((string?)entity["id"] is { } id)
                    removed.Add(id);
                entries.RemoveAt(i);
            }
        }
    }

    // A reference is an object with an id: { "service": { "id": ... } }.
    static bool RefersTo(JsonObject entity, HashSet<string> removed)
    {
        foreach (var (_, value) in entity)
        {
            if (value is JsonObject reference && (string?)reference["id"] is { } id && removed.Contains(id))
                return true;
        }
        return false;
    }
}
