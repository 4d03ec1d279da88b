using System.Globalization;
using System.Text.Json;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Store.Postgres;

/// <summary>A unique field's column and the UNIQUE constraint on it.</summary>
public sealed record UniqueColumn(FieldSpec Field, string Column, string Constraint);

/// <summary>A reference field's <c>&lt;field&gt;_id</c> column and the FOREIGN KEY constraint on it.</summary>
public sealed record ReferenceColumn(FieldSpec Field, string Column, string Constraint, string ParentTable, bool Cascade);

/// <summary>
/// A reference list's <c>uuid[]</c> column (GIN-indexed). Postgres has no foreign keys on array elements, so the store
/// checks these itself, under the lock every configuration write holds.
/// </summary>
public sealed record ReferenceListColumn(FieldSpec Field, string Column, string ParentTable);

/// <summary>
/// How one entity kind is stored: derived from the entity catalog, so the migrations, the store's SQL and the
/// mapping of constraint violations back to fields all follow one convention. The schema test checks that the
/// migrated database matches it.
/// </summary>
public sealed class TableLayout
{
    public const string UniqueKeyColumn = "unique_key";

    private static readonly Dictionary<EntityKind, TableLayout> ByKind = EntityCatalog.All.ToDictionary(k => k, k => new TableLayout(k));

    private TableLayout(EntityKind kind)
    {
        Kind = kind;
        Table = kind.Name;
        Uniques = kind.UniqueFields.Select(f => new UniqueColumn(f, f.Name, $"{Table}_{f.Name}_key")).ToArray();
        References = kind.References
            .Select(f => new ReferenceColumn(f, f.Name + "_id", $"{Table}_{f.Name}_id_fkey", f.References!, f.CascadeDelete))
            .ToArray();
        ReferenceLists = kind.ReferenceLists.Select(f => new ReferenceListColumn(f, f.Name, f.References!)).ToArray();
        UniqueTogether = kind.UniqueTogether.Select(name => kind.Schema.Field(name)
            ?? throw new InvalidOperationException($"{kind.Name}: unique-together field '{name}' does not exist")).ToArray();
        UniqueKeyConstraint = HasUniqueKey ? $"{Table}_{UniqueKeyColumn}_key" : null;
        PrimaryKeyConstraint = Table + "_pkey";

        var columns = new List<string> { "id", "created_at", "updated_at", "tags", "doc" };
        columns.AddRange(Uniques.Select(u => u.Column));
        columns.AddRange(References.Select(r => r.Column));
        columns.AddRange(ReferenceLists.Select(r => r.Column));
        if (HasUniqueKey) columns.Add(UniqueKeyColumn);
        Columns = columns;
        var placeholders = columns.Select(Placeholder).ToArray();
        InsertSql = $"INSERT INTO {Table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", placeholders)})";
        var assignments = columns.Select((column, i) => $"{column} = {placeholders[i]}").Skip(1);
        UpdateSql = $"UPDATE {Table} SET {string.Join(", ", assignments)} WHERE id = $1";
        UpsertSql = $"{InsertSql} ON CONFLICT (id) DO UPDATE SET {string.Join(", ", columns.Skip(1).Select(c => $"{c} = EXCLUDED.{c}"))}";
    }

    // The document is sent as text; the cast lets Postgres store it as jsonb.
    private static string Placeholder(string column, int index) =>
        "$" + (index + 1).ToString(CultureInfo.InvariantCulture) + (column == "doc" ? "::jsonb" : "");

    public static TableLayout For(EntityKind kind) => ByKind[kind];

    public static IEnumerable<TableLayout> All => EntityCatalog.All.Select(For);

    public EntityKind Kind { get; }
    public string Table { get; }
    public IReadOnlyList<UniqueColumn> Uniques { get; }
    public IReadOnlyList<ReferenceColumn> References { get; }
    public IReadOnlyList<ReferenceListColumn> ReferenceLists { get; }
    public IReadOnlyList<FieldSpec> UniqueTogether { get; }
    public bool HasUniqueKey => UniqueTogether.Count > 0;
    public string? UniqueKeyConstraint { get; }
    public string PrimaryKeyConstraint { get; }

    /// <summary>Every column, in the order of <see cref="Values"/>; <c>id</c> first.</summary>
    public IReadOnlyList<string> Columns { get; }

    public string InsertSql { get; }

    /// <summary>Sets every column but id from the same parameters as <see cref="InsertSql"/>.</summary>
    public string UpdateSql { get; }

    /// <summary><see cref="InsertSql"/> that replaces the row with the same id when there is one.</summary>
    public string UpsertSql { get; }

    public ReferenceColumn? Reference(string field) => References.FirstOrDefault(r => r.Field.Name == field);

    public UniqueColumn? Unique(string field) => Uniques.FirstOrDefault(u => u.Field.Name == field);

    /// <summary>The column values of an entity, in <see cref="Columns"/> order (DBNull for nulls).</summary>
    public object[] Values(Entity entity)
    {
        var values = new List<object>
        {
            entity.Id,
            entity.CreatedAt,
            entity.UpdatedAt,
            (object?)entity.Tags ?? DBNull.Value,
            JsonSerializer.Serialize(entity, entity.GetType(), EntityJson.Compact),
        };
        foreach (var unique in Uniques) values.Add((object?)Text(unique.Field, entity) ?? DBNull.Value);
        foreach (var reference in References) values.Add((object?)ReferencedId(reference.Field, entity) ?? DBNull.Value);
        foreach (var list in ReferenceLists) values.Add(list.Field.Property.GetValue(entity) ?? DBNull.Value);
        if (HasUniqueKey) values.Add(UniqueKey(entity));
        return values.ToArray();
    }

    /// <summary>
    /// The unique-together fields as one text value. A JSON array keeps it unambiguous whatever the values
    /// contain; a missing value counts as empty, so two global plugins of one name collide as they should.
    /// </summary>
    public string UniqueKey(Entity entity)
    {
        var parts = UniqueTogether.Select(f => Text(f, entity) ?? "").ToArray();
        return JsonSerializer.Serialize(parts);
    }

    /// <summary>The unique-together fields and their values, for error messages.</summary>
    public IReadOnlyDictionary<string, string?> UniqueTogetherValues(Entity entity) =>
        UniqueTogether.ToDictionary(f => f.Name, f => Text(f, entity));

    /// <summary>A field's value as text: references as their id, strings as they are.</summary>
    public static string? Text(FieldSpec field, Entity entity) =>
        field.Property.GetValue(entity) switch
        {
            null => null,
            EntityRef reference => reference.Id.ToString(),
            string text => text,
            IFormattable other => other.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString(),
        };

    public static Guid? ReferencedId(FieldSpec field, Entity entity) => (field.Property.GetValue(entity) as EntityRef)?.Id;
}
