using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Proxy.Schema;

/// <summary>
/// The schema of a configuration record, read once from its C# type: property names become Kong's
/// snake_case field names, property initialisers become defaults and attributes become rules.
/// Validation works on JSON so that it can name every bad field, before any typed object exists.
/// </summary>
public sealed class RecordSchema
{
    private static readonly ConcurrentDictionary<Type, RecordSchema> Cache = new();

    public Type ClrType { get; }
    public IReadOnlyList<FieldSpec> Fields { get; }
    private readonly Dictionary<string, FieldSpec> _byName;

    private RecordSchema(Type type)
    {
        ClrType = type;
        Fields = ReadFields(type);
        _byName = Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    public static RecordSchema For(Type type) => Cache.GetOrAdd(type, t => new RecordSchema(t));

    public static RecordSchema For<T>() => For(typeof(T));

    public FieldSpec? Field(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Returns a copy of <paramref name="input"/> with every missing field set to its default.</summary>
    public JsonObject WithDefaults(JsonObject input)
    {
        var result = (JsonObject)input.DeepClone();
        AddDefaults(result);
        return result;
    }

    /// <summary>Sets every missing field of <paramref name="document"/>, a copy its caller owns, to its default.</summary>
    public void AddDefaults(JsonObject document)
    {
        foreach (var field in Fields)
        {
            if (!document.ContainsKey(field.Name))
                document[field.Name] = field.Default?.DeepClone();
            else if (field.Kind == FieldKind.Record && document[field.Name] is JsonObject nested)
                field.Record!.AddDefaults(nested);
        }
    }

    /// <summary>Checks a complete record (defaults applied) and reports every bad field.</summary>
    public FieldErrors Validate(JsonObject input)
    {
        var errors = new FieldErrors();
        foreach (var (key, _) in input)
        {
            if (!_byName.ContainsKey(key)) errors.Add(key, "unknown field");
        }
        foreach (var field in Fields)
        {
            var value = input[field.Name];
            if (value is null)
            {
                if (field.Required) errors.Add(field.Name, "required field missing");
                continue;
            }
            ValidateField(field, value, errors);
        }
        return errors;
    }

    private static void ValidateField(FieldSpec field, JsonNode value, FieldErrors errors)
    {
        switch (field.Kind)
        {
            case FieldKind.Record:
                if (value is not JsonObject obj) errors.Add(field.Name, "expected a record");
                else errors.AddNested(field.Name, field.Record!.Validate(obj));
                return;
            case FieldKind.Array:
                ValidateArray(field, value, errors);
                return;
            case FieldKind.Map:
                ValidateMap(field, value, errors);
                return;
            case FieldKind.Reference:
                var refMessage = CheckReference(value);
                if (refMessage is not null) errors.Add(field.Name, refMessage);
                return;
            default:
                var message = CheckScalar(field.Kind, field.Rules, value);
                if (message is not null) errors.Add(field.Name, message);
                return;
        }
    }

    private static void ValidateArray(FieldSpec field, JsonNode value, FieldErrors errors)
    {
        if (value is not JsonArray array)
        {
            errors.Add(field.Name, "expected an array");
            return;
        }
        var messages = new List<string>();
        foreach (var element in array)
        {
            string? message;
            if (element is null) message = "expected a " + ScalarName(field.ElementKind);
            else if (field.ElementKind == FieldKind.Record)
            {
                var nested = element is JsonObject o ? field.Record!.Validate(o) : null;
                message = element is not JsonObject ? "expected a record" : nested!.IsEmpty ? null : nested.Summary();
            }
            else message = CheckScalar(field.ElementKind, field.Rules, element);
            if (message is not null) messages.Add(message);
        }
        if (messages.Count > 0) errors.AddElements(field.Name, messages);
    }

    private static void ValidateMap(FieldSpec field, JsonNode value, FieldErrors errors)
    {
        if (value is not JsonObject map)
        {
            errors.Add(field.Name, "expected a map");
            return;
        }
        var nested = new FieldErrors();
        foreach (var (key, item) in map)
        {
            if (key.Length == 0) nested.Add(key, "keys must not be empty");
            if (item is null) nested.Add(key, "expected a value");
            else if (field.MapValueElementKind is { } elementKind)
            {
                if (item is not JsonArray values || values.Count == 0) nested.Add(key, "expected a non-empty array");
                else
                {
                    foreach (var element in values)
                    {
                        var message = element is null ? "expected a string" : CheckScalar(elementKind, field.Rules, element);
                        if (message is not null) nested.Add(key, message);
                    }
                }
            }
            else
            {
                var message = CheckScalar(field.ElementKind, field.Rules, item);
                if (message is not null) nested.Add(key, message);
            }
        }
        errors.AddNested(field.Name, nested);
    }

    private static string? CheckReference(JsonNode value)
    {
        if (value is not JsonObject reference) return "expected a record";
        if (reference.Count != 1 || reference["id"] is not JsonValue id) return "expected a reference of the form {\"id\": \"<uuid>\"}";
        return id.TryGetValue<string>(out var text) && Guid.TryParse(text, out _) ? null : "expected a valid UUID";
    }

    private static string? CheckScalar(FieldKind kind, IReadOnlyList<FieldRuleAttribute> rules, JsonNode node)
    {
        object? value = kind switch
        {
            FieldKind.String => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null,
            FieldKind.Uuid => node is JsonValue v && v.TryGetValue<string>(out var s) && Guid.TryParse(s, out var g) ? g : null,
            FieldKind.Boolean => node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null,
            FieldKind.Integer => AsInteger(node),
            FieldKind.Number => AsNumber(node),
            FieldKind.Object => node as JsonObject,
            _ => null,
        };
        if (value is null) return "expected " + Article(kind) + ScalarName(kind);
        if (kind is FieldKind.Object or FieldKind.Uuid) return null;
        foreach (var rule in rules)
        {
            var message = rule.Check(value);
            if (message is not null) return message;
        }
        return null;
    }

    private static long? AsInteger(JsonNode node)
    {
        if (node is JsonValue v && v.TryGetValue<long>(out var l)) return l;
        var d = AsNumber(node);
        return d is { } n && Math.Floor(n) == n && Math.Abs(n) < 9e15 ? (long)n : null;
    }

    // A number read from JSON gives its double directly. Values built in code hold an int, a long or a double; only
    // their JSON text converts between all of them.
    private static double? AsNumber(JsonNode node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? v.TryGetValue<double>(out var number)
                ? number
                : double.Parse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    private static string Article(FieldKind kind) => kind is FieldKind.Integer or FieldKind.Array or FieldKind.Object ? "an " : "a ";

    private static string ScalarName(FieldKind kind) => kind switch
    {
        FieldKind.Uuid => "valid UUID",
        FieldKind.Object => "object",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static IReadOnlyList<FieldSpec> ReadFields(Type type)
    {
        var prototype = Activator.CreateInstance(type);
        var fields = new List<FieldSpec>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<System.Text.Json.Serialization.JsonIgnoreAttribute>() is not null) continue;
            fields.Add(ReadField(property, prototype));
        }
        return fields;
    }

    private static FieldSpec ReadField(PropertyInfo property, object? prototype)
    {
        var (kind, element, mapElement, record) = Classify(property.PropertyType);
        var references = property.GetCustomAttribute<ReferencesAttribute>();
        var defaultValue = prototype is null ? null : property.GetValue(prototype);
        return new FieldSpec
        {
            Name = property.GetCustomAttribute<System.Text.Json.Serialization.JsonPropertyNameAttribute>()?.Name
                   ?? EntityJson.Options.PropertyNamingPolicy!.ConvertName(property.Name),
            Property = property,
            Kind = kind,
            ElementKind = element,
            MapValueElementKind = mapElement,
            Record = record,
            Required = property.GetCustomAttribute<RequiredAttribute>() is not null,
            Unique = property.GetCustomAttribute<UniqueAttribute>() is not null,
            Auto = property.GetCustomAttribute<AutoAttribute>() is not null,
            References = references?.Kind,
            CascadeDelete = references?.Cascade ?? false,
            Nests = references?.Nests ?? true,
            Default = defaultValue is null || IsEmptyAuto(property, defaultValue)
                ? null
                : JsonSerializer.SerializeToNode(defaultValue, property.PropertyType, EntityJson.Options),
            Rules = property.GetCustomAttributes<FieldRuleAttribute>().ToArray(),
            Description = property.GetCustomAttribute<DescriptionAttribute>()?.Text,
            Secret = property.GetCustomAttribute<SecretAttribute>()?.Kind,
            Generated = property.GetCustomAttribute<GeneratedAttribute>() is not null,
        };
    }

    // Auto fields (id, timestamps) have CLR defaults such as Guid.Empty that must not become schema defaults.
    private static bool IsEmptyAuto(PropertyInfo property, object value) =>
        property.GetCustomAttribute<AutoAttribute>() is not null || value is Guid g && g == Guid.Empty;

    private static (FieldKind Kind, FieldKind Element, FieldKind? MapElement, RecordSchema? Record) Classify(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return (FieldKind.String, default, null, null);
        if (type == typeof(int) || type == typeof(long)) return (FieldKind.Integer, default, null, null);
        if (type == typeof(double)) return (FieldKind.Number, default, null, null);
        if (type == typeof(bool)) return (FieldKind.Boolean, default, null, null);
        if (type == typeof(Guid)) return (FieldKind.Uuid, default, null, null);
        if (type == typeof(EntityRef)) return (FieldKind.Reference, default, null, null);
        if (type == typeof(JsonObject)) return (FieldKind.Object, default, null, null);
        if (type.IsArray)
        {
            var (element, _, _, record) = Classify(type.GetElementType()!);
            return (FieldKind.Array, element, null, record);
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            var valueType = type.GetGenericArguments()[1];
            if (valueType.IsArray) return (FieldKind.Map, FieldKind.Array, Classify(valueType.GetElementType()!).Kind, null);
            return (FieldKind.Map, Classify(valueType).Kind, null, null);
        }
        if (type.IsClass) return (FieldKind.Record, default, null, For(type));
        throw new NotSupportedException($"configuration field type {type.Name} has no schema mapping");
    }
}
