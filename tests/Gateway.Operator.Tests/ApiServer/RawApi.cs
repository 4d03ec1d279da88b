using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Operator.Tests.ApiServer;

/// <summary>Plain HTTP against the test API server, to check its semantics without the operator's client.</summary>
public sealed class RawApi : IDisposable
{
    public const string Apply = "application/apply-patch+yaml";
    public const string MergePatch = "application/merge-patch+json";
    readonly HttpClient http;

    /// <summary>A client that sends <paramref name="token"/> as its bearer token and <paramref name="userAgent"/> as its User-Agent.</summary>
    public RawApi(Uri server, string? token = null, string? userAgent = null)
    {
        http = new HttpClient { BaseAddress = server };
        if (token is not null)
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        if (userAgent is not null)
            http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
    }

    public Task<(HttpStatusCode Code, JsonObject Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json") =>
        SendTextAsync(method, path, body?.ToJsonString(), contentType);

    public async Task<(HttpStatusCode Code, JsonObject Body)> SendTextAsync(HttpMethod method, string path, string? body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    public async Task<JsonObject> OkAsync(HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json")
    {
        var (code, result) = await SendAsync(method, path, body, contentType);
        Assert.True((int)code is >= 200 and < 300, $"{method} {path} → {(int)code}: {result.ToJsonString()}");
        return result;
    }

    /// <summary>Opens a watch and returns its events line by line.</summary>
    public async IAsyncEnumerable<JsonObject> WatchAsync(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancel);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel));
        while (await reader.ReadLineAsync(cancel) is { } line)
            yield return JsonNode.Parse(line)!.AsObject();
    }

    public void Dispose() => http.Dispose();
}
