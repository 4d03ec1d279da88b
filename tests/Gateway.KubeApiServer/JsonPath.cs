using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Gateway.KubeApiServer;

/// <summary>
/// The JSONPath subset printer columns use: <c>.a.b</c>, <c>.a[0]</c> and filters such as
/// <c>.status.conditions[?(@.type=="Ready")].status</c>.
/// </summary>
public static partial class JsonPath
{
    [GeneratedRegex(@"\.([A-Za-z0-9_$-]+)|\[(\d+)\]|\[\?\(@\.([A-Za-z0-9_.]+)\s*==\s*[""']([^""']*)[""']\)\]")]
    private static partial Regex Step();

    /// <summary>The first value the path selects, or null.</summary>
    public static JsonNode? Evaluate(JsonNode? root, string path)
    {
        var current = new List<JsonNode?> { root };
        foreach (Match step in Step().Matches(path.Trim().TrimStart('{').TrimEnd('}')))
        {
            current = current.SelectMany(node => Apply(node, step)).ToList();
        }
        return current.FirstOrDefault(n => n is not null);
    }

    static IEnumerable<JsonNode?> Apply(JsonNode? node, Match step)
    {
        if (step.Groups[1].Success)
        {
            if (node is JsonObject obj)
                yield return obj[step.Groups[1].Value];
        }
        else if (step.Groups[2].Success)
        {
            if (node is JsonArray array && int.Parse(step.Groups[2].Value) is var i && i < array.Count)
                yield return array[i];
        }
        else if (node is JsonArray items)
        {
            var field = step.Groups[3].Value;
            var expected = step.Groups[4].Value;
            foreach (var item in items)
            {
                var value = field.Split('.').Aggregate(item, (n, name) => n?[name]);
                if (value is JsonValue v && v.ToString() == expected)
                    yield return item;
            }
        }
    }
}
