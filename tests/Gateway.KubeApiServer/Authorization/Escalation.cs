using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer.Authorization;

/// <summary>
/// RBAC's escalation prevention: a user may write a Role or ClusterRole only with rules it holds itself
/// (or with escalate on the role), and may bind a role only when it holds the role's rules (or with bind on
/// the role); system:masters may do both.
/// </summary>
static class Escalation
{
    /// <summary>Whether each of <paramref name="wanted"/>'s rules is covered by <paramref name="held"/>; the uncovered ones, compacted, otherwise.</summary>
    public static List<JsonObject> Missing(IReadOnlyList<JsonObject> held, IEnumerable<JsonObject> wanted) =>
        Compact(wanted.SelectMany(Breakdown).Where(rule => !held.Any(owner => Covers(owner, rule))).ToList());

    /// <summary>The API server's message for a grant of rights the user does not hold.</summary>
    public static string Message(UserInfo user, List<JsonObject> missing, List<string> resolutionErrors)
    {
        var described = missing.Select(Describe).Distinct().Order(StringComparer.Ordinal);
        var message = $"user \"{user.Name}\" (groups={Quoted(user.Groups)}) is attempting to grant RBAC permissions not currently held:\n{string.Join("\n", described)}";
        return resolutionErrors.Count == 0 ? message : $"{message}; resolution errors: [{string.Join(", ", resolutionErrors)}]";
    }

    static string[] Values(JsonObject rule, string field) => rule[field] is JsonArray values ? values.Select(v => (string?)v ?? "").ToArray() : [];

    static JsonObject Atom(string[] groups, string[] resources, string[] verbs, string[] names, string[] urls)
    {
        var rule = new JsonObject();
        void Set(string field, string[] values)
        {
            if (values.Length > 0)
                rule[field] = new JsonArray(values.Select(v => (JsonNode)v).ToArray());
        }
        Set("apiGroups", groups);
        Set("resources", resources);
        Set("nonResourceURLs", urls);
        Set("resourceNames", names);
        Set("verbs", verbs);
        return rule;
    }

    // One rule per group, resource, verb and name (and per URL and verb), as RBAC breaks a rule down to compare it.
    static IEnumerable<JsonObject> Breakdown(JsonObject rule)
    {
        var names = Values(rule, "resourceNames");
        foreach (var group in Values(rule, "apiGroups"))
        {
            foreach (var resource in Values(rule, "resources"))
            {
                foreach (var verb in Values(rule, "verbs"))
                {
                    if (names.Length == 0)
                        yield return Atom([group], [resource], [verb], [], []);
                    foreach (var name in names)
                        yield return Atom([group], [resource], [verb], [name], []);
                }
            }
        }
        foreach (var url in Values(rule, "nonResourceURLs"))
        {
            foreach (var verb in Values(rule, "verbs"))
                yield return Atom([], [], [verb], [], [url]);
        }
    }

    static bool Covers(JsonObject owner, JsonObject rule)
    {
        bool All(string field) => Values(owner, field).Contains("*") || Values(rule, field).All(Values(owner, field).Contains);
        var ownerNames = Values(owner, "resourceNames");
        var names = Values(rule, "resourceNames");
        var namesCovered = ownerNames.Length == 0 || (names.Length > 0 && names.All(ownerNames.Contains));
        return All("verbs") && All("apiGroups") && ResourcesCovered(Values(owner, "resources"), Values(rule, "resources"))
            && Values(rule, "nonResourceURLs").All(url => Values(owner, "nonResourceURLs").Any(o => o == url || (o.EndsWith('*') && url.StartsWith(o.TrimEnd('*'), StringComparison.Ordinal))))
            && namesCovered;
    }

    static bool ResourcesCovered(string[] owner, string[] resources) =>
        owner.Contains("*") || resources.All(r => owner.Contains(r) || (r.Contains('/') && owner.Contains("*/" + r.Split('/', 2)[1])));

    // Rules of a single group and resource that differ only by verb become one rule.
    static List<JsonObject> Compact(List<JsonObject> rules)
    {
        var compacted = new List<JsonObject>();
        var simple = new Dictionary<(string, string), JsonObject>();
        foreach (var rule in rules)
        {
            var groups = Values(rule, "apiGroups");
            var resources = Values(rule, "resources");
            if (groups.Length != 1 || resources.Length != 1 || Values(rule, "resourceNames").Length > 0 || Values(rule, "nonResourceURLs").Length > 0)
            {
                compacted.Add(rule);
                continue;
            }
            if (simple.TryGetValue((groups[0], resources[0]), out var merged))
                merged["verbs"]!.AsArray().Add((JsonNode)Values(rule, "verbs")[0]);
            else
                simple[(groups[0], resources[0])] = rule.DeepClone().AsObject();
        }
        return [.. compacted, .. simple.Values];
    }

    // As Go prints a rule with %q: {APIGroups:["apps"], Resources:["deployments"], Verbs:["create" "delete"]}.
    static string Describe(JsonObject rule)
    {
        var parts = new List<string>();
        foreach (var (field, label) in new[] { ("apiGroups", "APIGroups"), ("resources", "Resources"), ("nonResourceURLs", "NonResourceURLs"), ("resourceNames", "ResourceNames"), ("verbs", "Verbs") })
        {
            if (Values(rule, field) is { Length: > 0 } values)
                parts.Add($"{label}:{Quoted(values)}");
        }
        return "{" + string.Join(", ", parts) + "}";
    }

    static string Quoted(IEnumerable<string> values) => "[" + string.Join(" ", values.Select(v => $"\"{v}\"")) + "]";
}
