using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Transforms;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Proxy.Plugins.ResponseTransformer;

/// <summary>
/// Rewrites the response before the client gets it, as Kong's response-transformer: headers, and the top-level fields
/// of an uncompressed JSON object body, in the order remove, rename, replace, add, append.
/// </summary>
public sealed class ResponseTransformerHandler : PluginHandler
{
    public const string Name = "response-transformer";

    public static readonly PluginDefinition Registration =
        PluginDefinition.Create<ResponseTransformerConfig>(Name, 800, (config, _) => new ResponseTransformerHandler(config));

    private readonly string[] _removeHeaders;
    private readonly NameValue[] _renameHeaders;
    private readonly NameValue[] _replaceHeaders;
    private readonly NameValue[] _addHeaders;
    private readonly NameValue[] _appendHeaders;
    private readonly string[] _removeJson;
    private readonly NameValue[] _renameJson;
    private readonly TypedField[] _replaceJson;
    private readonly TypedField[] _addJson;
    private readonly TypedField[] _appendJson;

    private ResponseTransformerHandler(ResponseTransformerConfig config)
    {
        _removeHeaders = config.Remove.Headers;
        _renameHeaders = NameValue.ParseAll(config.Rename.Headers);
        _replaceHeaders = NameValue.ParseAll(config.Replace.Headers);
        _addHeaders = NameValue.ParseAll(config.Add.Headers);
        _appendHeaders = NameValue.ParseAll(config.Append.Headers);
        _removeJson = config.Remove.Json;
        _renameJson = NameValue.ParseAll(config.Rename.Json);
        _replaceJson = TypedField.All(config.Replace);
        _addJson = TypedField.All(config.Add);
        _appendJson = TypedField.All(config.Append);
        _transformsJson = _removeJson.Length + _renameJson.Length + _replaceJson.Length + _addJson.Length + _appendJson.Length > 0;
    }

    private readonly bool _transformsJson;

    public override void HeaderFilter(PluginContext context, HttpResponse response)
    {
        var headers = response.Headers;
        foreach (var name in _removeHeaders) headers.Remove(name);
        foreach (var (from, to) in _renameHeaders) HeaderFields.Rename(headers, from, to.Text);
        foreach (var (name, value) in _replaceHeaders)
            if (headers.ContainsKey(name)) headers[name] = value.Render(context);
        foreach (var (name, value) in _addHeaders)
            if (!headers.ContainsKey(name)) headers[name] = value.Render(context);
        foreach (var (name, value) in _appendHeaders) HeaderFields.Append(headers, name, value.Render(context));
    }

    /// <summary>
    /// Only an uncompressed JSON document is read: any other body (an event stream, ndjson, a file) streams through
    /// untouched, and so does a JSON body longer than the plugins' body buffer.
    /// </summary>
    public override bool WantsResponseBody(PluginContext context, HttpResponse response) =>
        _transformsJson && response.Headers.ContentEncoding.Count == 0 && BodyMediaTypes.IsJson(response.ContentType);

    public override byte[] BodyFilter(PluginContext context, HttpResponse response, byte[] body)
    {
        // Body filters run for every plugin that ran, not only those that asked for the body.
        if (!_transformsJson) return body;
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return body;
        }
        if (json is null) return body;
        foreach (var name in _removeJson) JsonFields.Remove(json, name);
        foreach (var (from, to) in _renameJson) JsonFields.Rename(json, from, to.Text);
        foreach (var field in _replaceJson) JsonFields.Replace(json, field.Name, field.Value(context));
        foreach (var field in _addJson) JsonFields.Add(json, field.Name, field.Value(context));
        foreach (var field in _appendJson) JsonFields.Append(json, field.Name, field.Value(context));
        return JsonSerializer.SerializeToUtf8Bytes(json);
    }

    /// <summary>A JSON field to write, with the type its value is written as.</summary>
    private sealed record TypedField(string Name, Template Template, string Type)
    {
        public JsonNode? Value(PluginContext context) => JsonFields.Typed(Template.Render(context), Type);

        public static TypedField[] All(TypedResponsePairs pairs)
        {
            var fields = new TypedField[pairs.Json.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                var (name, template) = NameValue.Parse(pairs.Json[i]);
                fields[i] = new TypedField(name, template, i < pairs.JsonTypes.Length ? pairs.JsonTypes[i] : "string");
            }
            return fields;
        }
    }
}
