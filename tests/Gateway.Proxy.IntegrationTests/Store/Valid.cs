using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Route = Gateway.Proxy.Entities.Route;

namespace Gateway.Proxy.IntegrationTests.Store;

/// <summary>Entities built as the Admin API builds them: from JSON, through validation.</summary>
internal static class Valid
{
    public static T Entity<T>(string json) where T : Entity
    {
        var kind = EntityCatalog.Of(typeof(T));
        var document = JsonNode.Parse(json)!.AsObject();
        // Like the Admin API: the id is chosen before validation; zero timestamps are the store's to set.
        document["id"] ??= Guid.NewGuid().ToString();
        document["created_at"] ??= 0;
        document["updated_at"] ??= 0;
        var result = EntityValidation.Validate(kind, document);
        Assert.True(result.IsValid, $"invalid test {kind.Singular}: {result.Errors?.Summary()}");
        return (T)result.Entity!;
    }

    public static Service Service(string name, params string[] tags) =>
        Entity<Service>($$"""{"name": "{{name}}", "url": "http://{{name}}.internal:8080/api", "tags": {{Json(tags)}}}""");

    public static Route Route(string name, Service? service, params string[] tags) =>
        Entity<Route>($$"""{"name": "{{name}}", "paths": ["/{{name}}"], "service": {{Ref(service)}}, "tags": {{Json(tags)}}}""");

    public static Upstream Upstream(string name) => Entity<Upstream>($$"""{"name": "{{name}}"}""");

    public static Target Target(Upstream upstream, string address) =>
        Entity<Target>($$"""{"target": "{{address}}", "upstream": {{Ref(upstream)}}}""");

    public static Consumer Consumer(string username, string? customId = null) =>
        Entity<Consumer>($$"""{"username": "{{username}}", "custom_id": {{(customId is null ? "null" : $"\"{customId}\"")}}}""");

    public static Plugin Plugin(string name, Route? route = null, Service? service = null, Consumer? consumer = null) =>
        Entity<Plugin>($$"""
            {"name": "{{name}}", "route": {{Ref(route)}}, "service": {{Ref(service)}}, "consumer": {{Ref(consumer)}},
             "config": {"minute": 5, "policy": "local", "limits": {"b": 1, "a": [1, 2.5]} } }
            """);

    public static Certificate Certificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=example.test", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var json = new JsonObject { ["cert"] = certificate.ExportCertificatePem(), ["key"] = key.ExportPkcs8PrivateKeyPem() };
        return Entity<Certificate>(json.ToJsonString());
    }

    /// <summary>A CA certificate entity holding a fresh self-signed CA.</summary>
    public static CaCertificate CaCertificate(string name = "Store Test CA") =>
        Entity<CaCertificate>(Admin.TestAuthority.CreateRoot(name).Json);

    /// <summary>An https service verifying its upstream against <paramref name="cas"/>, presenting <paramref name="clientCertificate"/>.</summary>
    public static Service TlsService(string name, Certificate? clientCertificate, params CaCertificate[] cas) =>
        Entity<Service>($$"""
            {"name": "{{name}}", "url": "https://{{name}}.internal", "tls_verify": true, "tls_verify_depth": 2,
             "client_certificate": {{Ref(clientCertificate)}}, "ca_certificates": {{new JsonArray([.. cas.Select(c => (JsonNode)c.Id.ToString())]).ToJsonString()}} }
            """);

    public static Sni Sni(string name, Certificate certificate) =>
        Entity<Sni>($$"""{"name": "{{name}}", "certificate": {{Ref(certificate)}}}""");

    /// <summary>Entities compared as the Admin API would show them (records compare arrays by reference).</summary>
    public static void Same(Entity expected, Entity? actual)
    {
        Assert.NotNull(actual);
        var want = EntityJson.ToObject(expected);
        var got = EntityJson.ToObject(actual);
        Assert.True(JsonNode.DeepEquals(want, got), $"expected {want.ToJsonString()}\n     got {got.ToJsonString()}");
    }

    private static string Ref(Entity? parent) => parent is null ? "null" : $$"""{"id": "{{parent.Id}}"}""";

    private static string Json(string[] tags) => tags.Length == 0 ? "null" : new JsonArray([.. tags.Select(t => (JsonNode)t)]).ToJsonString();
}
