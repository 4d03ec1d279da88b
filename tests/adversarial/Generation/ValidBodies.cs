using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.PluginEngine;

namespace Gateway.Adversarial.Generation;

/// <summary>
/// A body the Admin API would accept for each entity kind and bundled plugin, naming the fixture's entities as
/// parents. The harness breaks one thing in it at a time, so that each bad value is seen by the validation
/// of a request that is otherwise right. A kind or plugin missing here fails the harness's own tests.
/// </summary>
public static class ValidBodies
{
    private static readonly Dictionary<string, Func<int, JsonObject>> Entities = new()
    {
        ["services"] = n => new JsonObject { ["name"] = $"gen-svc-{n}", ["host"] = "example.com" },
        ["routes"] = n => new JsonObject
        {
            ["name"] = $"gen-rt-{n}", ["paths"] = new JsonArray($"/gen-{n}"), ["service"] = Ref(AdminFixture.ServiceId),
        },
        ["upstreams"] = n => new JsonObject { ["name"] = $"gen-up-{n}" },
        ["targets"] = n => new JsonObject
        {
            ["target"] = $"10.{n / 65536 % 256}.{n / 256 % 256}.{n % 256}:80", ["upstream"] = Ref(AdminFixture.UpstreamId),
        },
        ["consumers"] = n => new JsonObject { ["username"] = $"gen-{n}" },
        ["certificates"] = _ => new JsonObject { ["cert"] = AdminFixture.CertificatePem, ["key"] = AdminFixture.KeyPem },
        ["snis"] = n => new JsonObject { ["name"] = $"gen-{n}.example", ["certificate"] = Ref(AdminFixture.CertificateId) },
        // The fixture's certificate is a CA (basic constraints CA:true); it is the fixture's CA certificate already, so a create is a 409.
        ["ca_certificates"] = _ => new JsonObject { ["cert"] = AdminFixture.CertificatePem },
        ["keyauth_credentials"] = n => new JsonObject { ["key"] = $"gen-key-{n}", ["consumer"] = Ref(AdminFixture.ConsumerId) },
        ["basicauth_credentials"] = n => new JsonObject
        {
            ["username"] = $"gen-basic-{n}", ["password"] = "gen-password", ["consumer"] = Ref(AdminFixture.ConsumerId),
        },
        ["jwt_secrets"] = n => new JsonObject
        {
            ["key"] = $"gen-iss-{n}", ["secret"] = "gen-secret", ["consumer"] = Ref(AdminFixture.ConsumerId),
        },
        ["acls"] = n => new JsonObject { ["group"] = $"gen-group-{n}", ["consumer"] = Ref(AdminFixture.ConsumerId) },
    };

    private static readonly Dictionary<string, Func<JsonObject>> PluginConfigs = new()
    {
        ["key-auth"] = () => new JsonObject(),
        ["acl"] = () => new JsonObject { ["allow"] = new JsonArray("admins") },
        ["cors"] = () => new JsonObject(),
        ["correlation-id"] = () => new JsonObject(),
        ["request-size-limiting"] = () => new JsonObject(),
        ["request-transformer"] = () => new JsonObject(),
        ["response-transformer"] = () => new JsonObject(),
        ["basic-auth"] = () => new JsonObject(),
        ["jwt"] = () => new JsonObject(),
        ["ip-restriction"] = () => new JsonObject { ["allow"] = new JsonArray("10.0.0.0/8") },
        ["rate-limiting"] = () => new JsonObject { ["minute"] = 10, ["policy"] = "local" },
        ["request-termination"] = () => new JsonObject(),
        ["redirect"] = () => new JsonObject { ["location"] = "https://example.com/" },
        ["request-mirror"] = () => new JsonObject { ["mirrors"] = new JsonArray(new JsonObject { ["targets"] = new JsonArray("127.0.0.1:9") }) },
    };

    public static bool Covers(EntityKind kind) => kind == EntityCatalog.Plugins || Entities.ContainsKey(kind.Name);

    public static bool Covers(PluginDefinition plugin) => PluginConfigs.ContainsKey(plugin.Name);

    /// <summary>An acceptable body of <paramref name="kind"/>; <paramref name="n"/> makes its names unique.</summary>
    public static JsonObject For(EntityKind kind, int n) =>
        kind == EntityCatalog.Plugins
            ? Plugin(BundledPlugins.All[n % BundledPlugins.All.Count])
            : Entities[kind.Name](n);

    /// <summary>A global plugin entity of <paramref name="plugin"/> with an acceptable config.</summary>
    public static JsonObject Plugin(PluginDefinition plugin) =>
        new() { ["name"] = plugin.Name, ["config"] = PluginConfigs[plugin.Name]() };

    private static JsonObject Ref(string id) => new() { ["id"] = id };
}
