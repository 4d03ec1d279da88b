using System.Text.Json;

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>What an EchoUpstream saw, read from its JSON reply.</summary>
public sealed class EchoReply
{
    private readonly JsonElement _root;

    private EchoReply(JsonElement root)
    {
        _root = root;
    }

    public string Upstream => _root.GetProperty("upstream").GetString()!;
    public string Method => _root.GetProperty("method").GetString()!;
    public string Path => _root.GetProperty("path").GetString()!;
    public string Query => _root.GetProperty("query").GetString()!;
    public string Body => _root.GetProperty("body").GetString()!;

    /// <summary>The subject of the client certificate an HTTPS upstream was shown, or null.</summary>
    public string? ClientCertificate => _root.TryGetProperty("client_certificate", out var subject) ? subject.GetString() : null;

    /// <summary>A request header as the upstream received it (names are lower-case), or null.</summary>
    public string? Header(string name) =>
        _root.GetProperty("headers").TryGetProperty(name.ToLowerInvariant(), out var value) ? value.GetString() : null;

    public static async Task<EchoReply> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"expected the upstream's answer, got {(int)response.StatusCode}: {text}");
        return new EchoReply(JsonDocument.Parse(text).RootElement.Clone());
    }
}
