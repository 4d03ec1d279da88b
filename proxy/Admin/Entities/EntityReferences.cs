using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Admin.Entities;

/// <summary>Reads reference fields of typed entities.</summary>
public static class EntityReferences
{
    public static Guid? IdOf(Entity entity, FieldSpec field) =>
        field.Property.GetValue(entity) is EntityRef reference ? reference.Id : null;

    public static EntityKind Target(FieldSpec field) => EntityCatalog.Find(field.References!)!;

    /// <summary>The value of a string field, such as the endpoint key, as stored.</summary>
    public static string? StringOf(Entity entity, EntityKind kind, string fieldName) =>
        kind.Schema.Field(fieldName)?.Property.GetValue(entity)?.ToString();
}
