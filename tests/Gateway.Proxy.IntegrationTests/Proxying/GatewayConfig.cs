using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>
/// Builds a configuration the way users write it (Kong JSON, checked by <see cref="EntityValidation"/>),
/// giving each entity an id (unless the fields name one) and a creation time as the store would.
/// </summary>
public sealed class GatewayConfig
{
    private readonly List<Entity> _entities = [];
    private long _clock = 1_700_000_000;

    /// <summary>Adds a service; <paramref name="fields"/> is Kong JSON such as <c>{"url": "http://…", "retries": 2}</c>.</summary>
    public Guid Service(string name, string fields) => Add(EntityCatalog.Services, fields, name);

    /// <summary>Adds a route of <paramref name="service"/> (none when null).</summary>
    public Guid Route(Guid? service, string fields)
    {
        var json = Parse(fields);
        if (service is { } id) json["service"] = new JsonObject { ["id"] = id.ToString() };
        return Add(EntityCatalog.Routes, json);
    }

    public Guid Upstream(string name, string fields = "{}") => Add(EntityCatalog.Upstreams, fields, name);

    public Guid Target(Guid upstream, string address, int weight = 100) =>
        Add(EntityCatalog.Targets, new JsonObject
        {
            ["target"] = address,
            ["weight"] = weight,
            ["upstream"] = new JsonObject { ["id"] = upstream.ToString() },
        });

    public Guid Consumer(string username, string? customId = null) =>
        Add(EntityCatalog.Consumers, new JsonObject { ["username"] = username, ["custom_id"] = customId });

    /// <summary>Adds a credential (key-auth, basic-auth, jwt, acl) of <paramref name="consumer"/>.</summary>
    public Guid Credential(EntityKind kind, Guid consumer, string fields)
    {
        var json = Parse(fields);
        json["consumer"] = Reference(consumer);
        return Add(kind, json);
    }

    /// <summary>Adds a plugin scoped by whichever of route, service and consumer are given (none: global).</summary>
    public Guid Plugin(string name, string config = "{}", Guid? route = null, Guid? service = null, Guid? consumer = null,
        bool enabled = true)
    {
        var json = new JsonObject { ["name"] = name, ["config"] = Parse(config), ["enabled"] = enabled };
        if (route is { } r) json["route"] = Reference(r);
        if (service is { } s) json["service"] = Reference(s);
        if (consumer is { } c) json["consumer"] = Reference(c);
        return Add(EntityCatalog.Plugins, json);
    }

    /// <summary>Adds a CA certificate (ca_certificates) holding <paramref name="pem"/>.</summary>
    public Guid CaCertificate(string pem) => Add(EntityCatalog.CaCertificates, new JsonObject { ["cert"] = pem });

    /// <summary>Adds a certificate (certificates) of <paramref name="cert"/> and its <paramref name="key"/>.</summary>
    public Guid Certificate(string cert, string key) => Add(EntityCatalog.Certificates, new JsonObject { ["cert"] = cert, ["key"] = key });

    public ConfigData Build(long version = 1) => ConfigData.From(version, _entities);

    private static JsonObject Reference(Guid id) => new() { ["id"] = id.ToString() };

    private Guid Add(EntityKind kind, string fields, string name)
    {
        var json = Parse(fields);
        json["name"] = name;
        return Add(kind, json);
    }

    private Guid Add(EntityKind kind, JsonObject json)
    {
        var id = json["id"] is JsonValue given ? Guid.Parse(given.GetValue<string>()) : Guid.NewGuid();
        json["id"] = id.ToString();
        json["created_at"] = ++_clock;
        json["updated_at"] = _clock;
        var result = EntityValidation.Validate(kind, json);
        if (!result.IsValid)
            throw new ArgumentException($"invalid {kind.Singular}: {result.Errors!.ToJson().ToJsonString()}");
        _entities.Add(result.Entity!);
        return id;
    }

    private static JsonObject Parse(string fields) => (JsonObject)JsonNode.Parse(fields)!;
}
