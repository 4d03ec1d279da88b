using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Entities;
using Gateway.Proxy.Admin.Http;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Store;
using Gateway.Proxy.Store.Scoped;

namespace Gateway.Proxy.Admin.Config;

/// <summary>
/// <c>GET /config</c> exports the stored configuration in the declarative format (<c>{"config": "&lt;yaml&gt;"}</c>
/// as Kong answers, or the document itself with <c>?format=json</c>). <c>POST /config</c> replaces the whole
/// configuration at once, in DB-less mode and with a database alike; <c>?dry_run=true</c> only checks it. A document
/// with <c>_info.select_tags</c> replaces only the entities carrying those tags, and writes nothing when they
/// already are as the document says (200 instead of 201, or 304 with <c>?check_hash=1</c>).
/// </summary>
public sealed class ConfigEndpoints(IConfigStore store, EntityInput input)
{
    private readonly AppliedDocument _applied = new();
    private readonly ValidatedEntries _validated = new();

    public Task<AdminResponse> HandleAsync(AdminRequest request) => request.Method switch
    {
        "GET" => ExportAsync(request),
        "POST" => ImportAsync(request),
        _ => Task.FromResult(AdminResponse.MethodNotAllowed()),
    };

    private async Task<AdminResponse> ExportAsync(AdminRequest request)
    {
        var config = await store.LoadAllAsync(request.Aborted);
        return request.Query("format")?.ToLowerInvariant() == "json"
            ? AdminResponse.Ok(DeclarativeExporter.ToDocument(config))
            : AdminResponse.Ok(new JsonObject { ["config"] = DeclarativeExporter.ToYaml(config) });
    }

    private async Task<AdminResponse> ImportAsync(AdminRequest request)
    {
        JsonNode? document;
        var (content, posted) = await ReadDocumentAsync(request);
        switch (content)
        {
            case string text:
                (document, var syntaxError) = DocumentReader.Read(text);
                if (syntaxError is not null) return Invalid(DeclarativeParser.Parse(text));
                break;
            case JsonNode node:
                document = node;
                break;
            default:
                throw AdminException.BadRequest("expected a declarative configuration");
        }
        var dryRun = request.Flag("dry_run");
        var hash = request.Flag("check_hash") && !dryRun && IsScoped(document)
            ? AppliedDocument.Hash(posted ?? document!.ToJsonString())
            : null;
        if (hash is not null && _applied.IsApplied(hash, await store.GetVersionAsync(request.Aborted))) return new AdminResponse(304, null);

        // Only a scoped document may reference stored entities, and only through default_lookup_tags; a password posted
        // again keeps the hash stored for it, so that the same document changes nothing.
        var existing = LooksUpStoredEntities(document) || HoldsPasswords(document) ? await store.LoadAllAsync(request.Aborted) : null;
        var result = DeclarativeParser.Parse(document, null, existing, _validated);
        if (!result.IsValid) return Invalid(result);

        var (config, pluginErrors) = await CheckPluginsAsync(result.Config!, request.Aborted);
        if (pluginErrors.Count > 0)
        {
            var fields = new JsonObject { ["plugins"] = PluginFields(pluginErrors) };
            return DeclarativeErrors.Invalid("declarative config is invalid: " + LuaText.Write(fields), fields, pluginErrors);
        }
        if (result.Scope.IsScoped && !dryRun) return await ImportScopedAsync(request, result.Scope, config, hash);
        if (!dryRun)
        {
            try
            {
                await store.ReplaceAllAsync(config, request.Aborted);
            }
            catch (StoreException e) when (e.Kind is StoreErrorKind.UniqueViolation or StoreErrorKind.ForeignKeyViolation)
            {
                return DeclarativeErrors.Invalid(e.Message, Fields(e), []);
            }
        }
        return new AdminResponse(dryRun ? 200 : 201, LoadedBody.For(config));
    }

    private static bool IsScoped(JsonNode? document) =>
        document is JsonObject root && root["_info"] is JsonObject info && info["select_tags"] is JsonArray { Count: > 0 };

    private static bool LooksUpStoredEntities(JsonNode? document) =>
        IsScoped(document) && document!["_info"]!["default_lookup_tags"] is JsonObject;

    /// <summary>Whether the document has entries with a password, at the top level or nested in another entry.</summary>
    private static bool HoldsPasswords(JsonNode? document) =>
        document is JsonObject root && root.Any(collection => StoredPasswords.Collections.Contains(collection.Key)
            || collection.Value is JsonArray entries && entries.Any(entry => entry is JsonObject fields && StoredPasswords.Collections.Any(fields.ContainsKey)));

    /// <summary>
    /// Replaces the entities carrying the document's select tags. 201 when something changed, 200 when nothing did
    /// (nothing written, no new version), 304 without a body for the latter when the caller sent <c>check_hash=1</c>.
    /// The body is Kong's (the document's entities as stored) plus <c>_changes</c> with the counts. The document's
    /// <paramref name="hash"/>, when the caller sent <c>check_hash=1</c>, is remembered with the version it left.
    /// </summary>
    private async Task<AdminResponse> ImportScopedAsync(AdminRequest request, DocumentScope scope, ConfigData config, byte[]? hash)
    {
        ScopedPlan plan;
        try
        {
            plan = await store.ReplaceScopedAsync(scope.SelectTags, config, request.Aborted);
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.UniqueViolation or StoreErrorKind.ForeignKeyViolation)
        {
            return DeclarativeErrors.Invalid(e.Message, Fields(e), []);
        }
        if (plan.Conflicts.Count > 0) return DeclarativeErrors.Conflicts(plan.Conflicts);
        if (hash is not null) _applied.Remember(hash, plan.HasChanges ? plan.Merged.Version + 1 : plan.Merged.Version);
        if (!plan.HasChanges && request.Flag("check_hash")) return new AdminResponse(304, null);

        var body = LoadedBody.For(LoadedBody.Stored(plan.Merged, config));
        body["_changes"] = new JsonObject
        {
            ["created"] = plan.Created.Count,
            ["updated"] = plan.Updated.Count,
            ["deleted"] = plan.Deleted.Count,
        };
        return new AdminResponse(plan.HasChanges ? 201 : 200, body);
    }

    /// <summary>
    /// The document, as Kong accepts it: a JSON body that is the configuration itself, a <c>config</c> field
    /// (JSON, form or multipart) holding its YAML or JSON text, or the raw YAML/JSON text as the body. The text it
    /// was read from comes along when there is one, for check_hash.
    /// </summary>
    private static async Task<(object? Content, string? Text)> ReadDocumentAsync(AdminRequest request)
    {
        var contentType = request.Context.Request.ContentType?.ToLowerInvariant() ?? "";
        var isJson = contentType.StartsWith("application/json", StringComparison.Ordinal);
        if (isJson
            || contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal)
            || contentType.StartsWith("multipart/form-data", StringComparison.Ordinal))
        {
            // A JSON body is read as RequestBody reads it, keeping its text.
            var json = isJson ? await request.ReadTextAsync() : null;
            var body = json is null ? (await request.ReadBodyAsync()).Fields : RequestBody.ParseJsonObject(json);
            if (body.ContainsKey("_format_version")) return (body, json);
            return body["config"] switch
            {
                JsonValue value when value.TryGetValue<string>(out var text) && text.Trim().Length > 0 => (text, text),
                JsonObject document => (document, null),
                _ => (null, null),
            };
        }
        var raw = await request.ReadTextAsync();
        return raw.Trim().Length == 0 ? (null, null) : (raw, raw);
    }

    /// <summary>
    /// Plugins in a configuration pass the same checks as through <c>POST /plugins</c>: the plugin must be one this
    /// node runs, and its config gets the plugin's defaults and is validated against the plugin's schema.
    /// </summary>
    private async Task<(ConfigData Config, List<DeclarativeError> Errors)> CheckPluginsAsync(ConfigData config, CancellationToken ct)
    {
        var errors = new List<DeclarativeError>();
        var entities = new List<Entity>();
        foreach (var kind in EntityCatalog.All)
        {
            foreach (var entity in config.Of(kind))
            {
                if (kind != EntityCatalog.Plugins)
                {
                    entities.Add(entity);
                    continue;
                }
                try
                {
                    entities.Add(await input.BuildAsync(kind, EntityJson.ToObject(entity), ct));
                }
                catch (AdminException e) when (e.Response.Body?["fields"] is JsonObject fields)
                {
                    errors.AddRange(PluginErrors((Plugin)entity, fields));
                }
            }
        }
        return (ConfigData.From(config.Version, entities), errors);
    }

    private static IEnumerable<DeclarativeError> PluginErrors(Plugin plugin, JsonObject fields)
    {
        var at = $"plugins[{plugin.InstanceName ?? plugin.Id.ToString()}]";
        var found = new List<(string? Field, string Message)>();
        Collect(fields, null, found);
        foreach (var (field, message) in found)
        {
            yield return new DeclarativeError(field is null ? at : $"{at}.{field}", message)
            {
                EntityType = "plugin",
                EntityName = plugin.InstanceName,
                EntityId = plugin.Id,
                EntityTags = plugin.Tags,
            };
        }
    }

    /// <summary>Field errors as (dotted field, message) pairs; entity-wide messages have no field.</summary>
    private static void Collect(JsonNode? node, string? field, List<(string? Field, string Message)> found)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                    Collect(value, key == FieldErrors.EntityKey ? field : field is null ? key : $"{field}.{key}", found);
                break;
            case JsonArray list:
                foreach (var item in list) Collect(item, field, found);
                break;
            default:
                found.Add((field, node?.ToString() ?? ""));
                break;
        }
    }

    /// <summary>Plugin problems by plugin (instance name or id), field and message.</summary>
    private static JsonObject PluginFields(List<DeclarativeError> errors)
    {
        var byPlugin = new JsonObject();
        foreach (var error in errors)
        {
            var key = error.EntityName ?? error.EntityId.ToString()!;
            if (byPlugin[key] is not JsonObject fields) byPlugin[key] = fields = new JsonObject();
            var dot = error.Path.IndexOf("].", StringComparison.Ordinal);
            fields[dot < 0 ? FieldErrors.EntityKey : error.Path[(dot + 2)..]] = error.Message;
        }
        return byPlugin;
    }

    private static AdminResponse Invalid(DeclarativeResult result) =>
        DeclarativeErrors.Invalid("declarative config is invalid: " + LuaText.Write(result.Fields), result.Fields, result.Errors);

    private static JsonObject Fields(StoreException e)
    {
        var fields = new JsonObject();
        foreach (var (key, value) in e.Fields) fields[key] = value;
        return fields;
    }
}
