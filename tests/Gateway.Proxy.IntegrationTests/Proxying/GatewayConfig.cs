using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;

namespace Gateway.Proxy.IntegrationTests.Proxying;

/// <summary>
/// Builds a configuration the way users write it (Kong JSON, checked by <see cref="EntityValidation"/>),
/// giving each entity an id and a creation time as the store would.
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

    public ConfigData Build(long version = 1) => ConfigData.From(version, _entities);

    private Guid Add(EntityKind kind, string fields, string name)
    {
        var json = Parse(fields);
        json["name"] = name;
        return Add(kind, json);
    }

    private Guid Add(EntityKind kind, JsonObject json)
    {
        var id = Guid.NewGuid();
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
