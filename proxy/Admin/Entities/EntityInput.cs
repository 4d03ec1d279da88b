using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Http;
using Gateway.Proxy.Entities;
using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Secrets;
using Gateway.Proxy.Store;

namespace Gateway.Proxy.Admin.Entities;

/// <summary>
/// Turns a request document into an entity ready to store, in Kong's order: form text coerced to the schema's
/// types, references given by endpoint key resolved to ids, the plugin's name and config checked, the whole
/// entity validated, and finally every referenced entity confirmed to exist.
/// </summary>
public sealed class EntityInput(IConfigStore store, AdminApiOptions options)
{
    /// <summary>Form values are text; give them the types the schema (and a plugin's config schema) expects.</summary>
    public JsonObject Coerce(EntityKind kind, RequestBody body, Entity? existing = null)
    {
        if (!body.IsForm) return body.Fields;
        var fields = StringCoercion.Coerce(kind.Schema, body.Fields);
        if (kind == EntityCatalog.Plugins && fields["config"] is JsonObject config
            && PluginName(fields, existing) is { } name && options.FindPlugin(name)?.Config is { } schema)
        {
            fields["config"] = StringCoercion.Coerce(schema, config);
        }
        return fields;
    }

    /// <summary>
    /// Gives a new entity what the client may leave out: an id, its timestamps (a given created_at is kept,
    /// as Kong keeps it; updated_at is always now) and generated keys and secrets.
    /// </summary>
    public static void AssignNew(EntityKind kind, JsonObject document)
    {
        if (document["id"] is null) document["id"] = Guid.NewGuid().ToString();
        Stamp(document, document["created_at"] is null ? Now() : null);
        foreach (var field in kind.Schema.Fields)
            if (field.Generated && document[field.Name] is null) document[field.Name] = SecretHash.NewToken();
    }

    /// <summary>
    /// The answer to a write shows API keys as the client sent them (or as they were generated), this once; what
    /// is stored, and shown by every later read, is their hash. Passwords are never echoed: the answer shows their
    /// hash, as Kong's basic-auth answers do.
    /// </summary>
    public static JsonObject ShowSecretsAsSent(EntityKind kind, JsonObject stored, JsonObject sent)
    {
        foreach (var field in kind.SecretFields)
        {
            if (field.Secret == SecretKind.LookupKey && sent[field.Name] is JsonValue value && value.TryGetValue<string>(out _))
                stored[field.Name] = value.DeepClone();
        }
        return stored;
    }

    /// <summary>Sets updated_at to now, and created_at when given.</summary>
    public static void Stamp(JsonObject document, long? createdAt)
    {
        if (createdAt is { } created) document["created_at"] = created;
        document["updated_at"] = Now();
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>Resolves, checks and validates; throws the Kong error answer when the document is not acceptable.</summary>
    public async Task<Entity> BuildAsync(EntityKind kind, JsonObject document, CancellationToken ct)
    {
        document = (JsonObject)document.DeepClone();
        var unstorable = new FieldErrors();
        StorableText.Check(document, unstorable);
        if (!unstorable.IsEmpty) throw KongErrors.SchemaViolation(unstorable);
        await ResolveReferencesAsync(kind, document, ct);
        var pluginErrors = kind == EntityCatalog.Plugins ? CheckPlugin(document) : null;

        var result = EntityValidation.Validate(kind, document);
        var errors = result.Errors ?? new FieldErrors();
        if (pluginErrors is not null) errors.Merge(pluginErrors);
        if (!result.IsValid || !errors.IsEmpty) throw KongErrors.SchemaViolation(errors);
        return result.Entity!;
    }

    /// <summary>Confirms every reference of a validated entity names an existing entity.</summary>
    public async Task CheckReferencesExistAsync(EntityKind kind, Entity entity, CancellationToken ct)
    {
        foreach (var field in kind.References)
        {
            if (EntityReferences.IdOf(entity, field) is not { } id) continue;
            var target = EntityReferences.Target(field);
            var found = await StoreErrors.Translate(target, () => store.GetAsync(target, id, ct));
            if (found is null) throw KongErrors.MissingReference(field.Name, target, id);
        }
        // The ids of reference lists are the store's to check: it does so under its write lock.
    }

    /// <summary>
    /// Kong accepts <c>{"service": {"name": "billing"}}</c> (and <c>service.name=billing</c>) as well as an id;
    /// such references become <c>{"id": …}</c> here, or Kong's "foreign keys unresolved" error.
    /// </summary>
    private async Task ResolveReferencesAsync(EntityKind kind, JsonObject document, CancellationToken ct)
    {
        foreach (var field in kind.References)
        {
            if (document[field.Name] is not JsonObject reference || reference.Count != 1 || reference.ContainsKey("id")) continue;
            var (keyField, node) = reference.First();
            var target = EntityReferences.Target(field);
            if (!IsLookupField(target, keyField) || node is not JsonValue value || !value.TryGetValue<string>(out var text))
                continue;
            var found = await StoreErrors.Translate(target, () => store.FindAsync(target, keyField, text, ct));
            if (found is null) throw KongErrors.UnresolvedReference(field.Name, keyField, text, target);
            document[field.Name] = new JsonObject { ["id"] = found.Id.ToString() };
        }
    }

    private static bool IsLookupField(EntityKind target, string field) =>
        field == target.EndpointKey || target.Schema.Field(field) is { Unique: true };

    /// <summary>
    /// A plugin must be one this build runs; its config gets the plugin's defaults and is checked against the
    /// plugin's schema. Returns the problems found, if any.
    /// </summary>
    private FieldErrors? CheckPlugin(JsonObject document)
    {
        if (document["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name)) return null;
        var config = document["config"] ?? new JsonObject();
        if (config is not JsonObject configObject) return null; // the entity schema reports "expected an object"
        var problems = PluginConfigCheck.CheckEntity(options.FindPlugin(name), name, document["consumer"] is JsonObject, configObject,
            out var withDefaults);
        if (!problems.IsEmpty) return problems;
        document["config"] = withDefaults;
        return null;
    }

    private static string? PluginName(JsonObject fields, Entity? existing) =>
        fields["name"] is JsonValue value && value.TryGetValue<string>(out var name) ? name : (existing as Plugin)?.Name;
}
