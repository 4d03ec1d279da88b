using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer;

/// <summary>JSON as the API server writes it: quotes inside strings (fieldsV1 keys) and non-ASCII text are not turned into \u escapes.</summary>
public static class WireJson
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(JsonNode node) => node.ToJsonString(Options);
}
