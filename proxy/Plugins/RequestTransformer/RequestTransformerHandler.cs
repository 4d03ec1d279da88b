using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Transforms;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Gateway.Proxy.Plugins.RequestTransformer;

/// <summary>
/// Rewrites the request before it is forwarded, as Kong's request-transformer: method, path, headers, query string
/// and (form-encoded or JSON) body fields, in the order remove, rename, replace, add, append.
/// </summary>
public sealed class RequestTransformerHandler : PluginHandler
{
    public const string Name = "request-transformer";

    public static readonly PluginDefinition Registration =
        PluginDefinition.Create<RequestTransformerConfig>(Name, 801, (config, _) => new RequestTransformerHandler(config));

    private readonly string? _method;
    private readonly Template? _uri;
    private readonly Operations _headers;
    private readonly Operations _query;
    private readonly Operations _body;

    private RequestTransformerHandler(RequestTransformerConfig config)
    {
        _method = config.HttpMethod;
        _uri = config.Replace.Uri is { } uri ? Template.Parse(uri) : null;
        _headers = new Operations(config.Remove.Headers, config.Rename.Headers, config.Replace.Headers, config.Add.Headers, config.Append.Headers);
        _query = new Operations(config.Remove.Querystring, config.Rename.Querystring, config.Replace.Querystring, config.Add.Querystring,
            config.Append.Querystring);
        _body = new Operations(config.Remove.Body, config.Rename.Body, config.Replace.Body, config.Add.Body, config.Append.Body);
        if (_headers.IsConstant && _query.IsConstant && _body.IsConstant && _uri?.IsConstant != false)
            _constant = Rendered.Of(template => template.Text, _headers, _query, _body, _uri);
    }

    /// <summary>The values, rendered once, when no template reads the request.</summary>
    private readonly Rendered? _constant;

    public override async ValueTask AccessAsync(PluginContext context)
    {
        var request = context.Http.Request;
        // Templates read the request as the client sent it, so every value is rendered before anything changes.
        var rendered = _constant ?? Rendered.Of(template => template.Render(context), _headers, _query, _body, _uri);
        if (!_body.IsEmpty) await TransformBodyAsync(request, context.Services.BodyBufferSize, rendered);
        if (!_headers.IsEmpty) TransformHeaders(request.Headers, rendered);
        if (!_query.IsEmpty) TransformQuery(request, rendered);
        if (rendered.Uri is { } uri) context.Exchange.UpstreamPath = uri.StartsWith('/') ? uri : "/" + uri;
        if (_method is not null) request.Method = _method;
    }

    private void TransformHeaders(IHeaderDictionary headers, Rendered rendered)
    {
        foreach (var name in _headers.Remove) headers.Remove(name);
        foreach (var (from, to) in _headers.Rename) HeaderFields.Rename(headers, from, to.Text);
        foreach (var (name, value) in rendered.Headers.Replace) HeaderFields.Replace(headers, name, value);
        foreach (var (name, value) in rendered.Headers.Add) HeaderFields.Add(headers, name, value);
        foreach (var (name, value) in rendered.Headers.Append) HeaderFields.Append(headers, name, value);
    }

    private void TransformQuery(HttpRequest request, Rendered rendered)
    {
        var query = new List<KeyValuePair<string, string?>>();
        foreach (var (name, values) in request.Query)
            foreach (var value in values) query.Add(new(name, value));

        query.RemoveAll(p => Array.IndexOf(_query.Remove, p.Key) >= 0);
        foreach (var (from, to) in _query.Rename)
            for (var i = 0; i < query.Count; i++)
                if (query[i].Key == from) query[i] = new(to.Text, query[i].Value);
        foreach (var (name, value) in rendered.Query.Replace)
            for (var i = 0; i < query.Count; i++)
                if (query[i].Key == name) query[i] = new(name, value);
        foreach (var (name, value) in rendered.Query.Add)
            if (!query.Exists(p => p.Key == name)) query.Add(new(name, value));
        foreach (var (name, value) in rendered.Query.Append) query.Add(new(name, value));
        request.QueryString = QueryString.Create(query);
    }

    /// <summary>
    /// Form-encoded and JSON object bodies are rewritten; any other body, and one longer than the plugins' body buffer,
    /// is forwarded as it came (the longer one streams on, never held whole).
    /// </summary>
    private async Task TransformBodyAsync(HttpRequest request, int bufferSize, Rendered rendered)
    {
        var isForm = BodyMediaTypes.IsForm(request.ContentType);
        if (!isForm && !BodyMediaTypes.IsJson(request.ContentType)) return;

        if (await BoundedBody.ReadRequestAsync(request, bufferSize) is not { } body) return;
        var text = Encoding.UTF8.GetString(body.Span);
        var rewritten = isForm ? TransformForm(text, rendered) : TransformJson(text, rendered);
        if (rewritten is null) return;
        var bytes = Encoding.UTF8.GetBytes(rewritten);
        request.Body = new MemoryStream(bytes);
        request.ContentLength = bytes.Length;
        request.Headers.Remove("Transfer-Encoding");
    }

    private string TransformForm(string text, Rendered rendered)
    {
        var fields = new JsonObject();
        foreach (var (name, values) in QueryHelpers.ParseQuery(text))
            fields[name] = values.Count == 1 ? JsonValue.Create(values.ToString()) : new JsonArray([.. values.Select(v => JsonValue.Create(v))]);
        ApplyBody(fields, rendered);
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var (name, value) in fields)
        {
            if (value is JsonArray array)
                foreach (var item in array) pairs.Add(new(name, item?.ToString()));
            else pairs.Add(new(name, value?.ToString()));
        }
        return QueryString.Create(pairs).ToUriComponent().TrimStart('?');
    }

    /// <summary>Null when the body is not a JSON object (it is then forwarded unchanged).</summary>
    private string? TransformJson(string text, Rendered rendered)
    {
        JsonObject? body;
        try
        {
            body = text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
        if (body is null) return null;
        ApplyBody(body, rendered);
        return body.ToJsonString();
    }

    private void ApplyBody(JsonObject body, Rendered rendered)
    {
        foreach (var name in _body.Remove) JsonFields.Remove(body, name);
        foreach (var (from, to) in _body.Rename) JsonFields.Rename(body, from, to.Text);
        foreach (var (name, value) in rendered.Body.Replace) JsonFields.Replace(body, name, JsonValue.Create(value));
        foreach (var (name, value) in rendered.Body.Add) JsonFields.Add(body, name, JsonValue.Create(value));
        foreach (var (name, value) in rendered.Body.Append) JsonFields.Append(body, name, JsonValue.Create(value));
    }

    /// <summary>The five operations on one part of the request, parsed once.</summary>
    private sealed class Operations(string[] remove, string[] rename, string[] replace, string[] add, string[] append)
    {
        public string[] Remove { get; } = Array.ConvertAll(remove, n => n.Trim());
        public NameValue[] Rename { get; } = NameValue.ParseAll(rename);
        public NameValue[] Replace { get; } = NameValue.ParseAll(replace);
        public NameValue[] Add { get; } = NameValue.ParseAll(add);
        public NameValue[] Append { get; } = NameValue.ParseAll(append);

        public bool IsEmpty => Remove.Length + Rename.Length + Replace.Length + Add.Length + Append.Length == 0;

        public bool IsConstant => Array.TrueForAll([.. Replace, .. Add, .. Append], p => p.Value.IsConstant);

        public RenderedValues Render(Func<Template, string> render) => new(Render(Replace, render), Render(Add, render), Render(Append, render));

        private static (string Name, string Value)[] Render(NameValue[] list, Func<Template, string> render) =>
            Array.ConvertAll(list, p => (p.Name, render(p.Value)));
    }

    /// <summary>The replace, add and append values of one part of the request, rendered.</summary>
    private sealed record RenderedValues(
        (string Name, string Value)[] Replace, (string Name, string Value)[] Add, (string Name, string Value)[] Append);

    /// <summary>Every templated value of one request, rendered against the request as it arrived (or once, when constant).</summary>
    private sealed record Rendered(RenderedValues Headers, RenderedValues Query, RenderedValues Body, string? Uri)
    {
        public static Rendered Of(Func<Template, string> render, Operations headers, Operations query, Operations body, Template? uri) =>
            new(headers.Render(render), query.Render(render), body.Render(render), uri is null ? null : render(uri));
    }
}
