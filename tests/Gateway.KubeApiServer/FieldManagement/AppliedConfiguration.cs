using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gateway.KubeApiServer.FieldManagement;

/// <summary>The body of an apply patch (application/apply-patch+yaml): YAML, of which JSON is a part, and what the server checks of it.</summary>
public static partial class AppliedConfiguration
{
    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    public static JsonObject Parse(string text)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            parsed = FromYaml(text);
        }
        return parsed as JsonObject ?? throw ApiError.BadRequest("error decoding patch: the applied configuration must be an object");
    }

    /// <summary>What the API server checks of an applied configuration before merging it, with its wording.</summary>
    public static void Check(ResourceType type, string? ns, string name, JsonObject config)
    {
        var apiVersion = (string?)config["apiVersion"] ?? "";
        var kind = (string?)config["kind"];
        if (string.IsNullOrEmpty(kind))
            throw ApiError.BadRequest($"error decoding patch: Object 'Kind' is missing in '{config.ToJsonString()}'");
        var groupVersionKind = (apiVersion.Contains('/') ? apiVersion : "/" + apiVersion) + ", Kind=" + kind;
        if (apiVersion != type.GroupVersion || kind != type.Kind)
            throw ApiError.BadRequest($"invalid object type: {groupVersionKind}");
        if (config["metadata"]?["managedFields"] is not null)
            throw ApiError.BadRequest("metadata.managedFields must be nil");
        var bodyName = (string?)config["metadata"]?["name"];
        if (bodyName != name)
            throw ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        if (type.Namespaced && config["metadata"]?["namespace"] is JsonValue given && (string?)given != ns)
            throw ApiError.BadRequest($"the namespace of the object ({(string?)given}) does not match the namespace on the request ({ns})");
        if (type.Schema is not null)
        {
            // A custom resource's configuration is typed against the CRD's schema: a field it does not declare fails the apply.
            var unknown = new List<string>();
            SchemaValidation.Apply(type.Schema, config.DeepClone().AsObject(), unknown);
            if (unknown.Count > 0)
                throw new ApiError(500, "InternalError", $"failed to create typed patch object ({ns}/{name}; {groupVersionKind}): .{unknown[0]}: field not declared in schema");
        }
    }

    static JsonNode? FromYaml(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException error)
        {
            throw ApiError.BadRequest($"error decoding patch: {error.Message}");
        }
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value ?? "", Convert(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    // Plain scalars are typed as YAML 1.1 core types are; quoted ones are strings.
    static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == "tag:yaml.org,2002:str"))
            return JsonValue.Create(value);
        if (value is "" or "~" or "null" or "Null" or "NULL")
            return null;
        if (value is "true" or "True" or "TRUE")
            return JsonValue.Create(true);
        if (value is "false" or "False" or "FALSE")
            return JsonValue.Create(false);
        if (Integer().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            return JsonValue.Create(integer);
        if (Float().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return JsonValue.Create(number);
        return JsonValue.Create(value);
    }
}
