using System.Text;
using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;

namespace Gateway.Adversarial.Generation;

/// <summary>An Admin API request before it is written out: what the attack chose, with the defaults of a normal request.</summary>
public sealed record AdminDraft(string Class, string Method, string Target, byte[] Body, bool MustRefuse)
{
    public string? ContentType { get; init; } = "application/json";
    public string Host { get; init; } = "127.0.0.1";
    public IReadOnlyList<(string Name, string Value)> ExtraHeaders { get; init; } = [];

    public AdminCase ToCase(int index)
    {
        var headers = new List<(string, string)> { ("Host", Host) };
        if (ContentType is not null && (Body.Length > 0 || Method is "POST" or "PUT" or "PATCH")) headers.Add(("Content-Type", ContentType));
        if (Body.Length > 0 || Method is "POST" or "PUT" or "PATCH") headers.Add(("Content-Length", Body.Length.ToString()));
        headers.AddRange(ExtraHeaders);
        headers.Add(("Connection", "close"));
        var bytes = WireText.Request($"{Method} {Target} HTTP/1.1", headers, Body);
        return new AdminCase(index, Class, Method, Target, bytes, MustRefuse);
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}

/// <summary>
/// Where an entity body goes: an Admin API write (<see cref="BodyEndpoint"/>), or, as an entry of its kind in the
/// fixture's declarative document, a <c>POST /config</c> (the only way to change a DB-less gateway).
/// </summary>
public sealed record Delivery(BodyEndpoint? Endpoint, EntityKind Kind)
{
    public string Method => Endpoint?.Method ?? "POST";
    public string Path => Endpoint?.Path ?? "/config";

    /// <summary>Whether a bad value in <paramref name="target"/> may be overridden instead of refused here.</summary>
    public bool Overrides(FieldTarget target) => Endpoint?.Overrides(target) ?? false;

    /// <summary>The valid body to break: the parent reference a nested path fills in is left out.</summary>
    public JsonObject Base(JsonObject body)
    {
        if (Endpoint?.ParentField is { } parent) body.Remove(parent.Name);
        return body;
    }

    /// <summary>The request body for the entity written as <paramref name="entityText"/>.</summary>
    public string Wrap(string entityText)
    {
        if (Endpoint is not null) return entityText;
        const string marker = "@@harness-entity@@";
        var document = AdminFixture.Document();
        if (document[Kind.Name] is not JsonArray entries) document[Kind.Name] = entries = new JsonArray();
        entries.Add(marker);
        return RawJson.Write(document).Replace("\"" + marker + "\"", entityText, StringComparison.Ordinal);
    }

    public AdminDraft Draft(string attack, string entityText, bool mustRefuse) =>
        new(attack, Method, Path, AdminDraft.Utf8(Wrap(entityText)), mustRefuse);
}
