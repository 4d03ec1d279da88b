using System.Text.Json.Nodes;

namespace Gateway.Proxy.Schema;

/// <summary>
/// Field-level validation errors in Kong's shape: a JSON object whose keys are field names and whose values
/// are a message, a list of messages (one per bad array element) or a nested object for records.
/// Entity-wide problems go under "@entity".
/// </summary>
public sealed class FieldErrors
{
    public const string EntityKey = "@entity";

    private readonly JsonObject _fields = new();

    public bool IsEmpty => _fields.Count == 0;

    public void Add(string field, string message)
    {
        if (field == EntityKey)
        {
            AddEntity(message);
            return;
        }
        // The first message for a field is the most useful one; later ones usually follow from it.
        _fields.TryAdd(field, message);
    }

    public void AddEntity(string message)
    {
        if (_fields[EntityKey] is not JsonArray list)
        {
            list = new JsonArray();
            _fields[EntityKey] = list;
        }
        list.Add(message);
    }

    public void AddElements(string field, IReadOnlyList<string> messages)
    {
        var list = new JsonArray();
        foreach (var m in messages) list.Add(m);
        _fields.TryAdd(field, list);
    }

    /// <summary>Adds every problem of <paramref name="other"/>, keeping problems already reported for the same field.</summary>
    public void Merge(FieldErrors other)
    {
        foreach (var (field, value) in other._fields)
        {
            if (field == EntityKey && value is JsonArray messages)
                foreach (var message in messages) AddEntity(message!.GetValue<string>());
            else _fields.TryAdd(field, value?.DeepClone());
        }
    }

    public void AddNested(string field, FieldErrors nested)
    {
        if (!nested.IsEmpty) _fields.TryAdd(field, nested.ToJson());
    }

    public bool Has(string field) => _fields.ContainsKey(field);

    public JsonObject ToJson() => (JsonObject)_fields.DeepClone();

    /// <summary>A one-line summary such as "2 schema violations (name: unknown field; port: ...)".</summary>
    public string Summary()
    {
        var parts = new List<string>();
        Flatten(_fields, "", parts);
        var noun = parts.Count == 1 ? "schema violation" : $"{parts.Count} schema violations";
        return $"{noun} ({string.Join("; ", parts)})";
    }

    private static void Flatten(JsonNode? node, string prefix, List<string> parts)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var name = key == EntityKey ? prefix.TrimEnd('.') : prefix + key;
                    if (value is JsonObject) Flatten(value, name + ".", parts);
                    else Flatten(value, name, parts);
                }
                break;
            case JsonArray arr:
                foreach (var item in arr) Flatten(item, prefix, parts);
                break;
            default:
                var label = prefix.Length == 0 ? "" : prefix + ": ";
                parts.Add(label + node?.ToString());
                break;
        }
    }
}
