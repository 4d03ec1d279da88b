using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Gateway.Proxy.Schema;

/// <summary>
/// Whether two values would be equal JSON values once written with <see cref="EntityJson.Options"/>, found without
/// writing them: the serializer's own description of each type gives the properties it writes (ignored ones left
/// out), lists compare item by item, objects and dictionaries key by key in any order, <see cref="JsonNode"/> values
/// as JSON. A value whose type the serializer writes with a converter of its own is written and compared as JSON.
/// </summary>
public static class JsonEquality
{
    public static bool Equal(object? a, object? b, Type declared)
    {
        if (a is null || b is null) return a is null && b is null;
        if (a is JsonNode node) return b is JsonNode other && JsonNode.DeepEquals(node, other);
        if (IsPlain(declared)) return a.Equals(b);
        // The serializer writes a property by its declared type, unless that is object.
        var type = declared == typeof(object) ? a.GetType() : declared;
        if (declared == typeof(object) && b.GetType() != type) return Written(a, b, type);
        var info = EntityJson.Options.GetTypeInfo(type);
        return info.Kind switch
        {
            JsonTypeInfoKind.Object => EqualObjects(a, b, info),
            JsonTypeInfoKind.Enumerable => EqualLists((IEnumerable)a, (IEnumerable)b, info.ElementType!),
            JsonTypeInfoKind.Dictionary => EqualDictionaries((IDictionary)a, (IDictionary)b, info.ElementType!),
            _ => IsPlain(type) ? a.Equals(b) : Written(a, b, type),
        };
    }

    private static bool EqualObjects(object a, object b, JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
        {
            if (property.Get is not { } get) continue;
            if (!Equal(get(a), get(b), property.PropertyType)) return false;
        }
        return true;
    }

    private static bool EqualLists(IEnumerable a, IEnumerable b, Type element)
    {
        var left = a.GetEnumerator();
        var right = b.GetEnumerator();
        while (true)
        {
            var more = left.MoveNext();
            if (more != right.MoveNext()) return false;
            if (!more) return true;
            if (!Equal(left.Current, right.Current, element)) return false;
        }
    }

    private static bool EqualDictionaries(IDictionary a, IDictionary b, Type value)
    {
        if (a.Count != b.Count) return false;
        foreach (DictionaryEntry entry in a)
            if (!b.Contains(entry.Key) || !Equal(entry.Value, b[entry.Key], value)) return false;
        return true;
    }

    /// <summary>Types the serializer writes as one JSON value that equals another exactly when the values are equal.</summary>
    private static bool IsPlain(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(string) || underlying == typeof(Guid)
               || underlying == typeof(decimal);
    }

    private static bool Written(object a, object b, Type type) =>
        JsonNode.DeepEquals(JsonSerializer.SerializeToNode(a, type, EntityJson.Options), JsonSerializer.SerializeToNode(b, type, EntityJson.Options));
}
