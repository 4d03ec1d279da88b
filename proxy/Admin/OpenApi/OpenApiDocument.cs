using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Info;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Admin.OpenApi;

/// <summary>
/// The Admin API as an OpenAPI 3.0 document, generated from the endpoint catalog and the entity schemas so that
/// it cannot drift from what the server does.
/// </summary>
public static class OpenApiDocument
{
    public static JsonObject Build(AdminApiOptions options)
    {
        var schemas = new JsonObject
        {
            ["Reference"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "A reference to another entity, by id (or, in requests, by its endpoint key such as name).",
                ["properties"] = new JsonObject { ["id"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" } },
            },
            ["Message"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { ["message"] = new JsonObject { ["type"] = "string" } },
            },
            ["Error"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "Kong's error body: code, name, message and the offending fields.",
                ["properties"] = new JsonObject
                {
                    ["code"] = new JsonObject { ["type"] = "integer" },
                    ["name"] = new JsonObject { ["type"] = "string" },
                    ["message"] = new JsonObject { ["type"] = "string" },
                    ["fields"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = true },
                },
            },
        };
        foreach (var kind in EntityCatalog.All)
        {
            schemas[SchemaName(kind)] = Record(kind.Schema, withRequired: false);
            schemas[SchemaName(kind) + "Input"] = Record(kind.Schema, withRequired: true);
            schemas[SchemaName(kind) + "Page"] = Page(kind);
        }

        var paths = new JsonObject();
        foreach (var endpoint in EndpointCatalog.All)
        {
            var item = new JsonObject();
            foreach (var method in endpoint.Methods) item[method.ToLowerInvariant()] = Operation(endpoint, method);
            paths[endpoint.Path] = item;
        }
        if (paths["/config"]?["post"] is JsonObject loadConfig) ConfigOperation.Describe(loadConfig);

        var document = new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "Tollgate Admin API",
                ["version"] = options.Version,
                ["description"] = "Kong-compatible Admin API. Request bodies may be JSON, url-encoded or multipart forms "
                                  + "(dotted keys such as config.minute=5 nest; hosts[]=a makes arrays).",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer" },
                    ["adminToken"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "Kong-Admin-Token" },
                },
            },
        };
        if (options.Token is not null)
            document["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() }, new JsonObject { ["adminToken"] = new JsonArray() });
        return document;
    }

    private static JsonObject Operation(AdminEndpoint endpoint, string method)
    {
        var operation = new JsonObject
        {
            ["summary"] = endpoint.Summary,
            ["operationId"] = OperationId(endpoint.Path, method),
        };
        if (endpoint.Kind is { } tagKind) operation["tags"] = new JsonArray((endpoint.Parent ?? tagKind).Name);
        var parameters = PathParameters(endpoint.Path);
        if (method == "GET" && endpoint.Shape is EndpointShape.Collection or EndpointShape.Children)
        {
            parameters.Add(Query("size", "Page size, 1 to 1000 (default 100).", new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 1000 }));
            parameters.Add(Query("offset", "The offset token of the page to read, from a previous page's 'offset'.", new JsonObject { ["type"] = "string" }));
            if (endpoint.Shape == EndpointShape.Collection)
                parameters.Add(Query("tags", "Only entities tagged: a,b means both, a/b means either.", new JsonObject { ["type"] = "string" }));
        }
        if (parameters.Count > 0) operation["parameters"] = parameters;

        var responses = new JsonObject();
        if (endpoint.Kind is { } kind && endpoint.Shape != EndpointShape.Fixed)
        {
            var entity = Ref(SchemaName(kind));
            if (method is "POST" or "PUT" or "PATCH")
            {
                var input = Ref(SchemaName(kind) + (method == "PATCH" ? "" : "Input"));
                operation["requestBody"] = new JsonObject
                {
                    ["required"] = method != "PATCH",
                    ["content"] = new JsonObject
                    {
                        ["application/json"] = new JsonObject { ["schema"] = input },
                        ["application/x-www-form-urlencoded"] = new JsonObject { ["schema"] = input.DeepClone() },
                        ["multipart/form-data"] = new JsonObject { ["schema"] = input.DeepClone() },
                    },
                };
                responses[method == "POST" ? "201" : "200"] = Response("The stored entity", entity);
                responses["400"] = Response("Invalid input (schema or foreign key violation)", Ref("Error"));
                responses["405"] = Response("Not supported in DB-less mode", Ref("Error"));
                responses["409"] = Response("A unique field is taken", Ref("Error"));
            }
            else if (method == "DELETE")
            {
                responses["204"] = new JsonObject { ["description"] = "Deleted (also when it did not exist)" };
                responses["400"] = Response("Still referenced by other entities", Ref("Error"));
            }
            else if (endpoint.Shape is EndpointShape.Collection or EndpointShape.Children)
            {
                responses["200"] = Response("One page", Ref(SchemaName(kind) + "Page"));
                responses["400"] = Response("Invalid size, offset or tags", Ref("Error"));
            }
            else
            {
                responses["200"] = Response("The entity", entity);
            }
            if (endpoint.Shape != EndpointShape.Collection) responses["404"] = Response("Not found", Ref("Message"));
        }
        else
        {
            if (endpoint.SuccessStatus == 204)
                responses["204"] = new JsonObject { ["description"] = "Done" };
            else
                responses["200"] = Response("Success", new JsonObject { ["type"] = "object", ["additionalProperties"] = true });
            if (method == "POST") responses["400"] = Response("Invalid input", Ref("Error"));
        }
        responses["401"] = Response("Missing or wrong admin token", Ref("Message"));
        operation["responses"] = responses;
        return operation;
    }

    private static JsonObject Record(RecordSchema schema, bool withRequired)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var field in schema.Fields)
        {
            properties[field.Name] = Field(field);
            if (withRequired && field.Required) required.Add(field.Name);
        }
        var record = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (required.Count > 0) record["required"] = required;
        if (schema.ClrType.GetCustomAttributes(typeof(DescriptionAttribute), false) is [DescriptionAttribute d, ..])
            record["description"] = d.Text;
        return record;
    }

    private static JsonObject Field(FieldSpec field)
    {
        JsonObject result = field.Kind switch
        {
            FieldKind.Array => new JsonObject { ["type"] = "array", ["items"] = Element(field.ElementKind, field.Record, field.Rules) },
            FieldKind.Map => new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = field.MapValueElementKind is { } inner
                    ? new JsonObject { ["type"] = "array", ["items"] = Element(inner, null, field.Rules) }
                    : Element(field.ElementKind, null, field.Rules),
            },
            FieldKind.Record => Record(field.Record!, withRequired: false),
            FieldKind.Reference => new JsonObject { ["allOf"] = new JsonArray(Ref("Reference")) },
            _ => Element(field.Kind, null, field.Rules),
        };
        if (!field.Required) result["nullable"] = true;
        if (field.Name is "created_at" or "updated_at") result["readOnly"] = true;
        if (field.Default is not null) result["default"] = field.Default.DeepClone();
        if (field.Description is not null) result["description"] = field.Description;
        return result;
    }

    private static JsonObject Element(FieldKind kind, RecordSchema? record, IReadOnlyList<FieldRuleAttribute> rules)
    {
        if (kind == FieldKind.Record && record is not null) return Record(record, withRequired: false);
        var element = kind switch
        {
            FieldKind.Uuid => new JsonObject { ["type"] = "string", ["format"] = "uuid" },
            FieldKind.Object => new JsonObject { ["type"] = "object", ["additionalProperties"] = true },
            FieldKind.Integer => new JsonObject { ["type"] = "integer", ["format"] = "int64" },
            _ => new JsonObject { ["type"] = kind.ToString().ToLowerInvariant() },
        };
        foreach (var rule in rules)
        {
            switch (rule)
            {
                case OneOfAttribute oneOf:
                    element["enum"] = new JsonArray(oneOf.Values.Select(v => EnumValue(kind, v)).ToArray());
                    break;
                case BetweenAttribute between:
                    element["minimum"] = between.Min;
                    element["maximum"] = between.Max;
                    break;
                case LengthAttribute length:
                    element["minLength"] = length.Min;
                    element["maxLength"] = length.Max;
                    break;
                case MatchesAttribute matches:
                    element["pattern"] = matches.Pattern;
                    break;
            }
        }
        return element;
    }

    private static JsonNode? EnumValue(FieldKind kind, object value) => kind == FieldKind.Integer
        ? JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture))
        : JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture));

    private static JsonObject Page(EntityKind kind) => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["data"] = new JsonObject { ["type"] = "array", ["items"] = Ref(SchemaName(kind)) },
            ["next"] = new JsonObject { ["type"] = "string", ["nullable"] = true, ["description"] = "Path of the next page, null on the last." },
            ["offset"] = new JsonObject { ["type"] = "string", ["description"] = "Offset token of the next page (absent on the last)." },
        },
    };

    private static JsonArray PathParameters(string path)
    {
        var parameters = new JsonArray();
        foreach (var segment in path.Split('/'))
        {
            if (!segment.StartsWith('{')) continue;
            var name = segment[1..^1];
            parameters.Add(new JsonObject
            {
                ["name"] = name,
                ["in"] = "path",
                ["required"] = true,
                ["description"] = EntityCatalog.Find(name) is { EndpointKey: { } key } ? $"id or {key}" : "id or name",
                ["schema"] = new JsonObject { ["type"] = "string" },
            });
        }
        return parameters;
    }

    private static JsonObject Query(string name, string description, JsonObject schema) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["required"] = false,
        ["description"] = description,
        ["schema"] = schema,
    };

    internal static JsonObject Response(string description, JsonObject schema) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } },
    };

    internal static JsonObject Ref(string name) => new() { ["$ref"] = "#/components/schemas/" + name };

    /// <summary>"services" → "Service", "snis" → "Sni".</summary>
    private static string SchemaName(EntityKind kind) => kind.ClrType.Name;

    private static string OperationId(string path, string method)
    {
        var words = new List<string> { method.ToLowerInvariant() };
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var word = segment.StartsWith('{') ? "By" + Pascal(segment[1..^1]) : Pascal(segment);
            words.Add(word);
        }
        if (words.Count == 1) words.Add("Root");
        return string.Concat(words);
    }

    private static string Pascal(string text)
    {
        var parts = text.Split(['_', '.', '-'], StringSplitOptions.RemoveEmptyEntries);
        return string.Concat(parts.Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
