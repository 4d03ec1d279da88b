using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;

namespace Gateway.Proxy.Declarative;

/// <summary>
/// The outcome of reading a declarative document: the configuration, or every error found. Errors come twice:
/// as a flat list and as Kong's nested "fields" object that mirrors the document (arrays by index).
/// </summary>
public sealed class DeclarativeResult
{
    private DeclarativeResult(ConfigData? config, IReadOnlyList<DeclarativeError> errors, JsonObject fields, bool transform, DocumentScope scope)
    {
        Scope = scope;
        Config = config;
        Errors = errors;
        Fields = fields;
        Transform = transform;
    }

    public ConfigData? Config { get; }
    public IReadOnlyList<DeclarativeError> Errors { get; }

    /// <summary>The errors nested like the document: <c>{"services":[{"routes":[null,{"paths":"..."}]}]}</c>.</summary>
    public JsonObject Fields { get; }

    /// <summary>The document's <c>_transform</c> flag (true unless set to false): whether secrets still need hashing.</summary>
    public bool Transform { get; }

    /// <summary>What the document manages: everything, or the entities carrying its select tags.</summary>
    public DocumentScope Scope { get; }

    public bool IsValid => Config is not null;

    public static DeclarativeResult Ok(ConfigData config, bool transform, DocumentScope? scope = null) =>
        new(config, [], new JsonObject(), transform, scope ?? DocumentScope.Whole);

    public static DeclarativeResult Fail(IReadOnlyList<DeclarativeError> errors, JsonObject fields) =>
        new(null, errors, fields, true, DocumentScope.Whole);

    /// <summary>The flat list as JSON: <c>[{"path": "services[0].port", "message": "..."}]</c>.</summary>
    public JsonArray ErrorList()
    {
        var list = new JsonArray();
        foreach (var error in Errors)
        {
            var item = new JsonObject { ["path"] = error.Path, ["message"] = error.Message };
            if (error.EntityType is not null) item["entity_type"] = error.EntityType;
            if (error.EntityName is not null) item["entity_name"] = error.EntityName;
            if (error.EntityId is not null) item["entity_id"] = error.EntityId.ToString();
            list.Add(item);
        }
        return list;
    }

    /// <summary>One line per error, for logs and the command line.</summary>
    public string Describe() => string.Join(Environment.NewLine, Errors.Select(e => e.ToString()));
}
