using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Operator.Sync;

/// <summary>What a proxy made of a scoped document.</summary>
public abstract record ApplyOutcome
{
    /// <summary>Accepted: <paramref name="Changed"/> is false when the proxy already served exactly this.</summary>
    public sealed record Applied(bool Changed, int Created, int Updated, int Deleted) : ApplyOutcome;

    /// <summary>Refused as a whole (400): the proxy's error body, with <c>flattened_errors</c>.</summary>
    public sealed record Refused(JsonObject Errors) : ApplyOutcome;

    /// <summary>Not reached, or it failed in a way that says nothing about the document.</summary>
    public sealed record Failed(string Message) : ApplyOutcome;
}

/// <summary>
/// Posts a gateway's scoped document to one proxy's Admin API (<c>POST /config?check_hash=1</c>) with the gateway's
/// admin token. The proxies of a gateway share one database, so one accepting proxy serves them all.
/// </summary>
public sealed class AdminApiClient(HttpClient http)
{
    /// <summary>Posts <paramref name="document"/>, the scoped document as UTF-8 JSON.</summary>
    public async Task<ApplyOutcome> ApplyAsync(Uri admin, string? token, byte[] document, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(admin, "/config?check_hash=1"))
        {
            Content = new ByteArrayContent(document) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(request, cancel);
            switch (response.StatusCode)
            {
                case HttpStatusCode.NotModified:
                    return new ApplyOutcome.Applied(false, 0, 0, 0);
                case HttpStatusCode.OK or HttpStatusCode.Created:
                    // The answer repeats every entity of the document: only its counts are read, without building it.
                    await using (var stream = await response.Content.ReadAsStreamAsync(cancel))
                        return Applied(await JsonDocument.ParseAsync(stream, cancellationToken: cancel));
            }
            var body = await response.Content.ReadAsStringAsync(cancel);
            return response.StatusCode == HttpStatusCode.BadRequest && Parse(body) is { } errors && errors["flattened_errors"] is JsonArray
                ? new ApplyOutcome.Refused(errors)
                : new ApplyOutcome.Failed($"{admin} answered {(int)response.StatusCode}: {Shorten(body)}");
        }
        catch (Exception error) when (error is HttpRequestException or IOException or JsonException or TaskCanceledException && !cancel.IsCancellationRequested)
        {
            return new ApplyOutcome.Failed($"{admin} could not be reached: {error.Message}");
        }
    }

    static ApplyOutcome.Applied Applied(JsonDocument answer)
    {
        using (answer)
        {
            var changes = answer.RootElement.ValueKind == JsonValueKind.Object && answer.RootElement.TryGetProperty("_changes", out var found) ? found : default;
            int Count(string name) => changes.ValueKind == JsonValueKind.Object && changes.TryGetProperty(name, out var count) && count.TryGetInt32(out var value) ? value : 0;
            var (created, updated, deleted) = (Count("created"), Count("updated"), Count("deleted"));
            return new ApplyOutcome.Applied(created + updated + deleted > 0, created, updated, deleted);
        }
    }

    static JsonObject? Parse(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static string Shorten(string body) => body.Length <= 300 ? body : body[..300] + "…";
}
