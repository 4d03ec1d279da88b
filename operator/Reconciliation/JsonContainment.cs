using System.Text.Json.Nodes;

namespace Gateway.Operator.Reconciliation;

/// <summary>
/// Whether a live object already holds everything the operator wants in it. Fields the operator does not
/// set (defaults the API server added, status, other controllers' annotations) do not count as drift.
/// </summary>
public static class JsonContainment
{
    public static bool Covers(JsonNode? actual, JsonNode? desired) => desired switch
    {
        null => true,
        JsonObject wanted => actual is JsonObject have && wanted.All(pair => Covers(have[pair.Key], pair.Value)),
        // Lists are owned whole: same length, each element covered in order.
        JsonArray wanted => actual is JsonArray have && have.Count == wanted.Count && wanted.Select((item, i) => Covers(have[i], item)).All(ok => ok),
        _ => actual is JsonValue && JsonNode.DeepEquals(actual, desired),
    };
}
