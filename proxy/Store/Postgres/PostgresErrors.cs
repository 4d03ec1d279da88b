using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Npgsql;

namespace Gateway.Proxy.Store.Postgres;

/// <summary>
/// Turns Postgres constraint violations into <see cref="StoreException"/>s that name the field and value, with
/// Kong's wording. The violated constraint's name says which field it guards (see <see cref="TableLayout"/>).
/// </summary>
internal static class PostgresErrors
{
    /// <summary>The refusal of an insert or update of <paramref name="entity"/>, or null when the error is another kind.</summary>
    public static StoreException? ForWrite(PostgresException error, Entity entity)
    {
        var layout = TableLayout.For(EntityCatalog.Of(entity.GetType()));
        var constraint = error.ConstraintName;
        if (error.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            if (constraint == layout.PrimaryKeyConstraint) return PrimaryKeyTaken(entity.Id);
            if (constraint is not null && constraint == layout.UniqueKeyConstraint)
                return UniqueTaken(layout.UniqueTogether.Select(f => (f, TableLayout.Text(f, entity))));
            var unique = layout.Uniques.FirstOrDefault(u => u.Constraint == constraint);
            if (unique is not null) return UniqueTaken([(unique.Field, TableLayout.Text(unique.Field, entity))]);
        }
        else if (error.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            var reference = layout.References.FirstOrDefault(r => r.Constraint == constraint);
            if (reference is not null) return MissingParent(reference.Field, TableLayout.ReferencedId(reference.Field, entity));
        }
        return null;
    }

    /// <summary>The refusal of a delete of a <paramref name="kind"/> entity that others still reference.</summary>
    public static StoreException? ForDelete(PostgresException error, EntityKind kind)
    {
        if (error.SqlState != PostgresErrorCodes.ForeignKeyViolation) return null;
        // The violated constraint belongs to the table of the entities that still reference this one.
        var child = TableLayout.All.FirstOrDefault(l => l.References.Any(r => r.Constraint == error.ConstraintName));
        var childName = child?.Table ?? error.TableName ?? "unknown";
        return new StoreException(StoreErrorKind.ReferencedByOthers,
            $"an existing '{childName}' entity references this '{kind.Name}' entity",
            new Dictionary<string, string?> { ["@referenced_by"] = childName });
    }

    /// <summary>Kong's refusal to delete an entity that a reference list still holds ("ca certificate … is still referenced by services …").</summary>
    public static StoreException StillListed(EntityKind kind, Guid id, EntityKind listing, Guid listingId) =>
        new(StoreErrorKind.ListedByOthers,
            $"{kind.Singular.Replace('_', ' ')} {id} is still referenced by {listing.Name} (id = {listingId})");

    public static StoreException PrimaryKeyTaken(Guid id) =>
        new(StoreErrorKind.UniqueViolation, $"primary key violation on key '{{id=\"{id}\"}}'",
            new Dictionary<string, string?> { ["id"] = id.ToString() });

    public static StoreException UniqueTaken(IEnumerable<(FieldSpec Field, string? Value)> fields)
    {
        var sorted = fields.OrderBy(f => f.Field.Name, StringComparer.Ordinal).ToArray();
        var shown = string.Join(",", sorted.Select(f => f.Field.Name + "=" + Show(f.Field, f.Value)));
        return new StoreException(StoreErrorKind.UniqueViolation, $"UNIQUE violation detected on '{{{shown}}}'",
            sorted.ToDictionary(f => f.Field.Name, f => f.Value));
    }

    public static StoreException MissingParent(FieldSpec field, Guid? id) =>
        new(StoreErrorKind.ForeignKeyViolation,
            $"the foreign key '{{id=\"{id}\"}}' does not reference an existing '{field.References}' entity.",
            new Dictionary<string, string?> { [field.Name] = id?.ToString() });

    public static StoreException NotFound(Guid id) =>
        new(StoreErrorKind.NotFound, $"could not find the entity with primary key '{{id=\"{id}\"}}'",
            new Dictionary<string, string?> { ["id"] = id.ToString() });

    /// <summary>A constraint violation that no entity explains, reported with Postgres's own words.</summary>
    public static StoreException Unexplained(PostgresException error) =>
        new(error.SqlState == PostgresErrorCodes.UniqueViolation ? StoreErrorKind.UniqueViolation : StoreErrorKind.ForeignKeyViolation,
            error.MessageText);

    /// <summary>Whether the database could not be reached or dropped the session, rather than refusing a statement.</summary>
    public static bool IsUnavailable(NpgsqlException error) =>
        error is not PostgresException postgres
        || postgres.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
        || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) // server shutting down / restarting
        || postgres.SqlState == PostgresErrorCodes.TooManyConnections
        || postgres.SqlState == PostgresErrorCodes.CannotConnectNow;

    public static StoreException Unavailable(NpgsqlException error) =>
        new(StoreErrorKind.Unavailable, "database unavailable: " + error.Message);

    // Kong prints values as Lua literals: strings quoted, references as {id="…"}, missing values as null.
    private static string Show(FieldSpec field, string? value) =>
        value is null ? "null" : field.Kind == FieldKind.Reference ? $"{{id=\"{value}\"}}" : $"\"{value}\"";
}
