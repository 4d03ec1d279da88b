using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>
/// Sends Admin API requests the ways clients do (JSON, url-encoded and multipart forms). Every answer with a body
/// is checked to be JSON with <c>application/json; charset=utf-8</c>, and never a 500.
/// </summary>
public sealed class AdminClient(HttpClient http) : IDisposable
{
    public HttpClient Http => http;

    public Task<AdminReply> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<AdminReply> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public Task<AdminReply> JsonAsync(string method, string path, string json) =>
        SendAsync(new HttpMethod(method), path, new StringContent(json, Encoding.UTF8, "application/json"));

    public Task<AdminReply> PostJsonAsync(string path, string json) => JsonAsync("POST", path, json);

    /// <summary>A url-encoded form, as <c>curl --data key=value</c> sends it.</summary>
    public Task<AdminReply> FormAsync(string method, string path, params (string Key, string Value)[] fields) =>
        SendAsync(new HttpMethod(method), path, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Key, f.Value))));

    public Task<AdminReply> PostFormAsync(string path, params (string Key, string Value)[] fields) => FormAsync("POST", path, fields);

    /// <summary>A multipart form, as <c>curl -F key=value</c> sends it.</summary>
    public Task<AdminReply> PostMultipartAsync(string path, params (string Key, string Value)[] fields)
    {
        var content = new MultipartFormDataContent();
        foreach (var (key, value) in fields) content.Add(new StringContent(value), key);
        return SendAsync(HttpMethod.Post, path, content);
    }

    public async Task<AdminReply> SendAsync(HttpMethod method, string path, HttpContent? content,
        Action<HttpRequestHeaders>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        headers?.Invoke(request.Headers);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode != HttpStatusCode.InternalServerError, $"{method} {path} answered 500: {text}");
        JsonNode? body = null;
        if (text.Length > 0)
        {
            Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            body = JsonNode.Parse(text);
        }
        return new AdminReply(response.StatusCode, body, text);
    }

    public void Dispose() => http.Dispose();
}

public sealed record AdminReply(HttpStatusCode Status, JsonNode? Body, string Text)
{
    public JsonObject Json => Body as JsonObject ?? throw new Xunit.Sdk.XunitException($"expected a JSON object, got: {Text}");

    public string? String(string field) => Json[field]?.GetValue<string>();

    public string Id => String("id") ?? throw new Xunit.Sdk.XunitException($"no id in {Text}");

    /// <summary>Asserts the status, showing the body when it differs.</summary>
    public AdminReply Expect(HttpStatusCode status)
    {
        Assert.True(Status == status, $"expected {(int)status} {status}, got {(int)Status} {Status}: {Text}");
        return this;
    }

    public AdminReply Expect(int status) => Expect((HttpStatusCode)status);
}
