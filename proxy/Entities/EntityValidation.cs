using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Secrets;

namespace Gateway.Proxy.Entities;

/// <summary>
/// Turns client JSON into a checked, typed entity: shorthands expanded, defaults applied, every field
/// validated with a message of its own, then the entity-wide rules. Pure: no store is consulted, so
/// uniqueness and references are checked by the caller.
/// </summary>
public static class EntityValidation
{
    public static ValidationResult Validate(EntityKind kind, JsonObject input)
    {
        // Checked first and for every writer (Admin API, POST /config, declarative files), so that text a database
        // cannot hold is a field error in DB-less mode and with Postgres alike.
        var errors = new FieldErrors();
        StorableText.Check(input, errors);
        if (!errors.IsEmpty) return ValidationResult.Fail(errors);
        var document = (JsonObject)input.DeepClone();
        kind.Expand?.Invoke(document, errors);
        if (!errors.IsEmpty) return ValidationResult.Fail(errors);

        kind.Schema.AddDefaults(document);
        errors = kind.Schema.Validate(document);
        if (!errors.IsEmpty) return ValidationResult.Fail(errors);
        HashSecrets(kind, document);

        Entity entity;
        try
        {
            entity = (Entity)EntityJson.FromNode(document, kind.ClrType);
        }
        catch (JsonException e)
        {
            errors.AddEntity("invalid value: " + e.Message);
            return ValidationResult.Fail(errors);
        }
        if (entity is IEntityRules rules) rules.Check(errors);
        return errors.IsEmpty ? ValidationResult.Ok(entity) : ValidationResult.Fail(errors);
    }

    /// <summary>Keys and passwords never reach a store in clear; values already hashed stay as they are.</summary>
    private static void HashSecrets(EntityKind kind, JsonObject document)
    {
        foreach (var field in kind.SecretFields)
        {
            if (document[field.Name] is not JsonValue value || !value.TryGetValue<string>(out var text)) continue;
            document[field.Name] = field.Secret == SecretKind.Password ? SecretHash.HashPassword(text) : SecretHash.HashKey(text);
        }
    }
}

public sealed record ValidationResult(Entity? Entity, FieldErrors? Errors)
{
    public static ValidationResult Ok(Entity entity) => new(entity, null);
    public static ValidationResult Fail(FieldErrors errors) => new(null, errors);
    public bool IsValid => Entity is not null;
}
