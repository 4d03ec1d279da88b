using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Schema;
using DescriptionAttribute = Gateway.Operator.Schema.DescriptionAttribute;

namespace Gateway.Operator.Manifests;

/// <summary>
/// Builds a CustomResourceDefinition from an entity type: OpenAPI schema with descriptions, validation
/// and defaults from the schema attributes and property initializers, printer columns, short names and
/// the status subresource.
/// </summary>
public static class CrdGenerator
{
    public static V1CustomResourceDefinition For<TEntity>() where TEntity : IKubernetesObject<V1ObjectMeta> => For(typeof(TEntity));

    public static V1CustomResourceDefinition For(Type entityType)
    {
        var entity = EntityInfo.Of(entityType);
        var kind = entity.Kind;
        var crd = new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new() { Name = $"{entity.PluralName}.{entity.Group}" },
            Spec = new()
            {
                Group = entity.Group,
                Scope = entity.Namespaced ? "Namespaced" : "Cluster",
                Names = new()
                {
                    Kind = kind,
                    ListKind = kind + "List",
                    Plural = entity.PluralName,
                    Singular = kind.ToLowerInvariant(),
                    ShortNames = entityType.GetCustomAttribute<KubernetesShortNamesAttribute>()?.Names.ToList(),
                },
                Versions =
                [
                    new()
                    {
                        Name = entity.ApiVersion,
                        Served = true,
                        Storage = true,
                        Schema = new() { OpenAPIV3Schema = ObjectJson.FromNode<V1JSONSchemaProps>(RootSchema(entityType)) },
                        Subresources = entityType.GetCustomAttribute<StatusSubresourceAttribute>() is null
                            ? null
                            : new() { Status = new Dictionary<string, object>() },
                        AdditionalPrinterColumns = PrinterColumns(entityType),
                    },
                ],
            },
        };
        return crd;
    }

    static JsonObject RootSchema(Type entityType)
    {
        var schema = ObjectSchema(entityType, skip: [nameof(IKubernetesObject.ApiVersion), nameof(IKubernetesObject.Kind), nameof(IMetadata<V1ObjectMeta>.Metadata)]);
        var properties = schema["properties"]!.AsObject();
        properties.Insert(0, "apiVersion", new JsonObject { ["type"] = "string", ["description"] = "The versioned schema of this object." });
        properties.Insert(1, "kind", new JsonObject { ["type"] = "string", ["description"] = "The REST resource this object represents." });
        properties.Insert(2, "metadata", new JsonObject { ["type"] = "object" });
        return schema;
    }

    static JsonObject ObjectSchema(Type type, IReadOnlyCollection<string>? skip = null)
    {
        var defaults = type.GetConstructor(Type.EmptyTypes) is null ? null : Activator.CreateInstance(type);
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var property in SchemaProperties(type))
        {
            if (skip?.Contains(property.Name) == true)
                continue;
            var name = JsonName(property);
            properties[name] = PropertySchema(property, defaults);
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
                required.Add(name);
        }

        var schema = new JsonObject { ["type"] = "object" };
        if (type.GetCustomAttribute<DescriptionAttribute>() is { } description)
            schema["description"] = description.Text;
        schema["properties"] = properties;
        if (required.Count > 0)
            schema["required"] = required;
        return schema;
    }

    static JsonObject PropertySchema(PropertyInfo property, object? defaults)
    {
        var schema = TypeSchema(property.PropertyType);
        if (property.GetCustomAttribute<DescriptionAttribute>() is { } description)
            schema.Insert(0, "description", description.Text);
        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern)
            schema["pattern"] = pattern.Regex;
        if (property.GetCustomAttribute<MaxLengthAttribute>() is { } maxLength)
            schema["maxLength"] = maxLength.Length;
        if (property.GetCustomAttribute<RangeMinimumAttribute>() is { } minimum)
            schema["minimum"] = minimum.Minimum;
        if (property.GetCustomAttribute<RangeMaximumAttribute>() is { } maximum)
            schema["maximum"] = maximum.Maximum;
        if (Default(property, defaults) is { } value)
            schema["default"] = value;
        return schema;
    }

    // Defaults come from the property initializers, so the server fills in what the operator assumes.
    // An object initialized to its plain default gets {} so the defaults of its own fields apply; one
    // initialized to something else (resource limits) gets that whole value.
    static JsonNode? Default(PropertyInfo property, object? defaults)
    {
        if (defaults is null || property.GetValue(defaults) is not { } value || value is "")
            return null;
        if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            return null;
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var json = JsonSerializer.SerializeToNode(value, property.PropertyType, ObjectJson.Options);
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || typeof(IEnumerable).IsAssignableFrom(type) || type.GetConstructor(Type.EmptyTypes) is null)
            return json;
        var plain = JsonSerializer.SerializeToNode(Activator.CreateInstance(type), type, ObjectJson.Options);
        return JsonNode.DeepEquals(json, plain) ? new JsonObject() : json;
    }

    static JsonObject TypeSchema(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
            return new() { ["type"] = "string" };
        if (type == typeof(bool))
            return new() { ["type"] = "boolean" };
        if (type == typeof(int))
            return new() { ["type"] = "integer", ["format"] = "int32" };
        if (type == typeof(long))
            return new() { ["type"] = "integer", ["format"] = "int64" };
        if (type == typeof(double))
            return new() { ["type"] = "number" };
        if (type == typeof(DateTimeOffset))
            return new() { ["type"] = "string", ["format"] = "date-time" };
        // Free-form JSON (a plugin's config): kept as sent, checked by the gateway's own schema.
        if (type == typeof(JsonObject))
            return new() { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        if (type.IsEnum)
            return new() { ["type"] = "string", ["enum"] = new JsonArray(Enum.GetNames(type).Select(n => (JsonNode)n).ToArray()) };
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            return new() { ["type"] = "object", ["additionalProperties"] = TypeSchema(type.GetGenericArguments()[1]) };
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
            return new() { ["type"] = "array", ["items"] = TypeSchema(type.GetGenericArguments()[0]) };
        if (typeof(IEnumerable).IsAssignableFrom(type))
            throw new NotSupportedException($"collection type {type.Name} has no schema mapping");
        return ObjectSchema(type);
    }

    static List<V1CustomResourceColumnDefinition> PrinterColumns(Type entityType)
    {
        var columns = new List<V1CustomResourceColumnDefinition>();
        CollectPropertyColumns(entityType, "", columns, depth: 0);
        foreach (var generic in entityType.GetCustomAttributes<GenericAdditionalPrinterColumnAttribute>())
        {
            columns.Add(new()
            {
                Name = generic.Name,
                Type = generic.Type,
                Description = generic.Description,
                Priority = generic.Priority == 0 ? null : generic.Priority,
                JsonPath = generic.JsonPath,
            });
        }
        return columns;
    }

    static void CollectPropertyColumns(Type type, string path, List<V1CustomResourceColumnDefinition> columns, int depth)
    {
        if (depth > 8)
            return;
        foreach (var property in SchemaProperties(type))
        {
            var propertyPath = $"{path}.{JsonName(property)}";
            if (property.GetCustomAttribute<AdditionalPrinterColumnAttribute>() is { } column)
            {
                columns.Add(new()
                {
                    Name = column.Name ?? property.Name,
                    Type = column.Type,
                    Description = property.GetCustomAttribute<DescriptionAttribute>()?.Text,
                    Priority = column.Priority == 0 ? null : column.Priority,
                    JsonPath = propertyPath,
                });
            }
            var inner = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (inner.IsClass && inner != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(inner))
                CollectPropertyColumns(inner, propertyPath, columns, depth + 1);
        }
    }

    static IEnumerable<PropertyInfo> SchemaProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .OrderBy(p => p.GetCustomAttribute<JsonPropertyOrderAttribute>()?.Order ?? 0);

    static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
        ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
}
