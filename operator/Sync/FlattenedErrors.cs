using System.Text.Json.Nodes;

namespace Gateway.Operator.Sync;

/// <summary>
/// The proxy's refusal of a document (Kong's <c>flattened_errors</c>), turned back into messages for the Kubernetes
/// objects the refused entities came from: every entity carries <c>k8s-kind</c>, <c>k8s-namespace</c> and
/// <c>k8s-name</c> tags, which is how Kong Ingress Controller maps them too.
/// </summary>
public static class FlattenedErrors
{
    /// <summary>Messages by source object (kind, namespace or "" for cluster-scoped objects, name).</summary>
    public static Dictionary<(string Kind, string Namespace, string Name), List<string>> BySource(JsonObject refusal)
    {
        var bySource = new Dictionary<(string, string, string), List<string>>();
        foreach (var entry in refusal["flattened_errors"] as JsonArray ?? [])
        {
            var tags = (entry?["entity_tags"] as JsonArray ?? []).Select(t => (string?)t ?? "").ToList();
            string Tag(string name) => tags.FirstOrDefault(t => t.StartsWith(name + ":", StringComparison.Ordinal))?[(name.Length + 1)..] ?? "";
            var source = (Tag("k8s-kind"), Tag("k8s-namespace"), Tag("k8s-name"));
            if (source.Item1.Length == 0 || source.Item3.Length == 0)
                continue;
            var entity = $"{(string?)entry!["entity_type"]} {(string?)entry["entity_name"] ?? (string?)entry["entity_id"]}";
            if (!bySource.TryGetValue(source, out var messages))
                bySource[source] = messages = [];
            foreach (var error in entry["errors"] as JsonArray ?? [])
            {
                var field = (string?)error?["field"];
                messages.Add(field is null ? $"{entity}: {(string?)error?["message"]}" : $"{entity}: {field}: {(string?)error!["message"]}");
            }
        }
        return bySource;
    }
}
