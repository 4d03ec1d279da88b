using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Declarative;

/// <summary>Gathers every error of one document, keeping the flat list and the nested form in step.</summary>
internal sealed class ErrorCollector
{
    private readonly List<DeclarativeError> _errors = [];
    private readonly JsonObject _fields = new();

    public bool IsEmpty => _errors.Count == 0;

    public IReadOnlyList<DeclarativeError> Errors => _errors;

    public JsonObject Fields => _fields;

    public bool Has(Location at)
    {
        var path = at.ToString();
        foreach (var error in _errors)
            if (error.Path == path) return true;
        return false;
    }

    /// <summary>An error about the value at <paramref name="at"/> itself (a field, a collection, a top-level key).</summary>
    public void Add(Location at, string message, EntityInfo? entity = null)
    {
        if (at.IsRoot)
        {
            AddEntityMessage(_fields, message);
        }
        else
        {
            var container = ContainerOf(at.Parent!, endsInArray: at.Key is null);
            if (at.Key is not null && container is JsonObject obj) AddMessage(obj, at.Key, message);
            else if (container is JsonArray array) SetElement(array, at.Index, message);
        }
        _errors.Add(Flat(at.ToString(), message, entity));
    }

    /// <summary>An error about the entity at <paramref name="at"/> as a whole.</summary>
    public void AddEntity(Location at, string message, EntityInfo? entity)
    {
        AddEntityMessage((JsonObject)ContainerOf(at), message);
        _errors.Add(Flat(at.ToString(), message, entity));
    }

    /// <summary>Schema errors of the entity at <paramref name="at"/>, in the shape <see cref="FieldErrors"/> gives them.</summary>
    public void AddFieldErrors(Location at, FieldErrors errors, EntityInfo entity)
    {
        var node = (JsonObject)ContainerOf(at);
        foreach (var (key, value) in errors.ToJson())
        {
            if (key == FieldErrors.EntityKey)
            {
                foreach (var message in (JsonArray)value!) AddEntity(at, message!.ToString(), entity);
                continue;
            }
            if (node[key] is null) node[key] = value!.DeepClone();
            else foreach (var message in Messages(value)) AddMessage(node, key, message);
            Flatten(at.Child(key), value, entity);
        }
    }

    private static IEnumerable<string> Messages(JsonNode? value) => value switch
    {
        JsonArray list => list.Select(item => item?.ToString() ?? ""),
        JsonObject obj => [obj.ToJsonString()],
        _ => [value?.ToString() ?? ""],
    };

    private void Flatten(Location at, JsonNode? value, EntityInfo entity)
    {
        switch (value)
        {
            case JsonObject obj:
                foreach (var (key, item) in obj)
                {
                    if (key == FieldErrors.EntityKey) Flatten(at, item, entity);
                    else Flatten(at.Child(key), item, entity);
                }
                break;
            case JsonArray array:
                foreach (var item in array) Flatten(at, item, entity);
                break;
            default:
                _errors.Add(Flat(at.ToString(), value?.ToString() ?? "invalid value", entity));
                break;
        }
    }

    private static DeclarativeError Flat(string path, string message, EntityInfo? entity) => new(path, message)
    {
        EntityType = entity?.Kind.Singular,
        EntityName = entity?.Name,
        EntityId = entity?.Id,
        EntityTags = entity?.Tags,
    };

    /// <summary>The error node standing for the value at <paramref name="at"/>, created on the way down.</summary>
    private JsonNode ContainerOf(Location at, bool endsInArray = false)
    {
        JsonNode node = _fields;
        var steps = at.Steps();
        for (var i = 0; i < steps.Count; i++)
        {
            var wantArray = i + 1 < steps.Count ? steps[i + 1].Key is null : endsInArray;
            node = steps[i].Key is { } key
                ? ChildOf((JsonObject)node, key, wantArray)
                : ElementOf((JsonArray)node, steps[i].Index, wantArray);
        }
        return node;
    }

    private static JsonNode ChildOf(JsonObject parent, string key, bool wantArray)
    {
        var existing = parent[key];
        if (Fits(existing, wantArray)) return existing!;
        var created = NewContainer(existing, wantArray);
        parent[key] = created;
        return created;
    }

    private static JsonNode ElementOf(JsonArray parent, int index, bool wantArray)
    {
        while (parent.Count <= index) parent.Add(null);
        var existing = parent[index];
        if (Fits(existing, wantArray)) return existing!;
        var created = NewContainer(existing, wantArray);
        parent[index] = created;
        return created;
    }

    private static bool Fits(JsonNode? node, bool wantArray) => wantArray ? node is JsonArray : node is JsonObject;

    private static JsonNode NewContainer(JsonNode? replaced, bool wantArray)
    {
        if (wantArray) return new JsonArray();
        var created = new JsonObject();
        // A message already standing for this value is kept beside the nested errors.
        if (replaced is JsonValue message) created[FieldErrors.EntityKey] = new JsonArray(message.DeepClone());
        return created;
    }

    private static void SetElement(JsonArray array, int index, string message)
    {
        while (array.Count <= index) array.Add(null);
        if (array[index] is JsonObject obj) AddEntityMessage(obj, message);
        else array[index] = message;
    }

    private static void AddMessage(JsonObject obj, string key, string message)
    {
        switch (obj[key])
        {
            case null:
                obj[key] = message;
                break;
            case JsonObject nested:
                AddEntityMessage(nested, message);
                break;
            case JsonArray list:
                list.Add(message);
                break;
            case var single:
                obj[key] = new JsonArray(single.DeepClone(), JsonValue.Create(message));
                break;
        }
    }

    private static void AddEntityMessage(JsonObject obj, string message)
    {
        if (obj[FieldErrors.EntityKey] is not JsonArray list)
        {
            list = new JsonArray();
            obj[FieldErrors.EntityKey] = list;
        }
        list.Add(message);
    }
}

/// <summary>Which entity an error concerns.</summary>
internal sealed record EntityInfo(EntityKind Kind, string? Name, Guid? Id, IReadOnlyList<string>? Tags = null);
