using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Http;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Store;

namespace Gateway.Proxy.Admin.Entities;

/// <summary>Translates a store's refusal into the answer Kong gives for the same problem.</summary>
public static class StoreErrors
{
    public static async Task<T> Translate<T>(EntityKind kind, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (StoreException e)
        {
            throw ToAdmin(kind, e);
        }
    }

    public static AdminException ToAdmin(EntityKind kind, StoreException e) => e.Kind switch
    {
        StoreErrorKind.UniqueViolation when IsPrimaryKey(e) =>
            KongErrors.Error(400, 3, "primary key violation", e.Message, new JsonObject { ["id"] = e.Fields["id"] }),
        StoreErrorKind.UniqueViolation => KongErrors.UniqueViolation(kind, e.Fields),
        StoreErrorKind.ForeignKeyViolation => ForeignKey(kind, e),
        StoreErrorKind.ReferencedByOthers => ReferencedBy(kind, e),
        StoreErrorKind.ListedByOthers => KongErrors.Error(400, 19, "referenced by others", e.Message, null),
        StoreErrorKind.NotFound => AdminException.NotFound(),
        StoreErrorKind.InvalidOffset => KongErrors.Error(400, 7, "invalid offset", e.Message, null),
        StoreErrorKind.ReadOnly => KongErrors.OperationUnsupported("change", kind, null),
        _ => new AdminException(AdminResponse.Message(503, "The database is unavailable")),
    };

    private static AdminException ForeignKey(EntityKind kind, StoreException e)
    {
        foreach (var (field, value) in e.Fields)
        {
            if (kind.Schema.Field(field) is { References: not null } spec && Guid.TryParse(value, out var id))
                return spec.IsReferenceList
                    ? KongErrors.MissingListedReference(field, EntityReferences.Target(spec), id)
                    : KongErrors.MissingReference(field, EntityReferences.Target(spec), id);
        }
        return KongErrors.Error(400, 4, "foreign key violation", e.Message, Fields(e));
    }

    private static AdminException ReferencedBy(EntityKind kind, StoreException e)
    {
        var name = e.Fields.GetValueOrDefault("@referenced_by");
        return name is not null && EntityCatalog.Find(name) is { } referencing
            ? KongErrors.ReferencedBy(referencing, kind)
            : KongErrors.Error(400, 4, "foreign key violation", e.Message, Fields(e));
    }

    private static JsonObject Fields(StoreException e)
    {
        var fields = new JsonObject();
        foreach (var (key, value) in e.Fields) fields[key] = value;
        return fields;
    }

    private static bool IsPrimaryKey(StoreException e) => e.Fields.Count == 1 && e.Fields.ContainsKey("id");
}
