using System.Text.Json.Nodes;

namespace Gateway.Proxy.Admin.Http;

/// <summary>An Admin API answer: a status and a JSON body (none for 204 and 304).</summary>
public sealed record AdminResponse(int Status, JsonNode? Body)
{
    public static AdminResponse Ok(JsonNode body) => new(200, body);

    public static AdminResponse Created(JsonNode body) => new(201, body);

    public static readonly AdminResponse NoContent = new(204, null);

    public static AdminResponse Message(int status, string message) => new(status, new JsonObject { ["message"] = message });

    public static AdminResponse NotFound() => Message(404, "Not found");

    public static AdminResponse MethodNotAllowed() => Message(405, "Method not allowed");

    public static JsonArray ArrayOf(IEnumerable<string> items)
    {
        var array = new JsonArray();
        foreach (var item in items) array.Add(item);
        return array;
    }
}

/// <summary>Stops handling a request with the given answer; thrown where the problem is found.</summary>
public sealed class AdminException(AdminResponse response) : Exception(response.Body?.ToJsonString())
{
    public AdminResponse Response { get; } = response;

    public static AdminException NotFound() => new(AdminResponse.NotFound());

    public static AdminException BadRequest(string message) => new(AdminResponse.Message(400, message));
}
