using Gateway.Proxy.Entities;
using Gateway.Proxy.Store.Postgres;
using Npgsql;

namespace Gateway.Proxy.IntegrationTests.Store;

/// <summary>
/// The migrations are written by hand; this fails when they and the entity catalog drift apart (a unique or
/// reference field added to an entity without a migration, a cascade rule changed on one side only).
/// </summary>
public sealed class SchemaCatalogTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Migrated_schema_has_exactly_the_tables_of_the_entity_catalog()
    {
        var database = await postgres.MigratedDatabaseAsync();

        var tables = await QueryAsync(database,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1", r => r.GetString(0));

        var expected = EntityCatalog.All.Select(k => k.Name).Append("config_state").Append("schema_migrations").Order(StringComparer.Ordinal);
        Assert.Equal(expected, tables.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_entity_table_has_the_common_columns()
    {
        var database = await postgres.MigratedDatabaseAsync();
        var columns = await QueryAsync(database, """
            SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'
            """, r => (Table: r.GetString(0), Column: r.GetString(1), Type: r.GetString(2), Nullable: r.GetString(3) == "YES"));

        foreach (var kind in EntityCatalog.All)
        {
            var own = columns.Where(c => c.Table == kind.Name).ToDictionary(c => c.Column);
            Assert.Equal(("uuid", false), (own["id"].Type, own["id"].Nullable));
            Assert.Equal(("int8", false), (own["created_at"].Type, own["created_at"].Nullable));
            Assert.Equal(("int8", false), (own["updated_at"].Type, own["updated_at"].Nullable));
            Assert.Equal("_text", own["tags"].Type);
            Assert.Equal(("jsonb", false), (own["doc"].Type, own["doc"].Nullable));
        }
    }

    [Fact]
    public async Task Unique_constraints_match_the_unique_fields_of_the_catalog()
    {
        var database = await postgres.MigratedDatabaseAsync();
        var actual = await QueryAsync(database, """
            SELECT tc.table_name, tc.constraint_name, string_agg(kcu.column_name, ',' ORDER BY kcu.ordinal_position)
            FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage kcu
              ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
            WHERE tc.table_schema = 'public' AND tc.constraint_type = 'UNIQUE'
            GROUP BY tc.table_name, tc.constraint_name
            """, r => $"{r.GetString(0)}: {r.GetString(2)} ({r.GetString(1)})");

        var expected = new List<string>();
        foreach (var kind in EntityCatalog.All)
        {
            var layout = TableLayout.For(kind);
            foreach (var field in kind.UniqueFields)
                expected.Add($"{kind.Name}: {field.Name} ({layout.Unique(field.Name)!.Constraint})");
            if (kind.UniqueTogether.Count > 0)
                expected.Add($"{kind.Name}: unique_key ({layout.UniqueKeyConstraint})");
        }
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Unique_field_columns_are_text()
    {
        var database = await postgres.MigratedDatabaseAsync();
        var types = await QueryAsync(database, """
            SELECT table_name || '.' || column_name, udt_name FROM information_schema.columns WHERE table_schema = 'public'
            """, r => (Column: r.GetString(0), Type: r.GetString(1)));

        foreach (var kind in EntityCatalog.All)
            foreach (var field in kind.UniqueFields)
                Assert.Contains(($"{kind.Name}.{field.Name}", "text"), types);
    }

    [Fact]
    public async Task Foreign_keys_match_the_reference_fields_and_their_delete_rules()
    {
        var database = await postgres.MigratedDatabaseAsync();
        var actual = await QueryAsync(database, """
            SELECT tc.table_name, kcu.column_name, ccu.table_name, ccu.column_name, rc.delete_rule, tc.constraint_name
            FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage kcu
              ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
            JOIN information_schema.referential_constraints rc
              ON rc.constraint_name = tc.constraint_name AND rc.constraint_schema = tc.table_schema
            JOIN information_schema.constraint_column_usage ccu
              ON ccu.constraint_name = tc.constraint_name AND ccu.constraint_schema = tc.table_schema
            WHERE tc.table_schema = 'public' AND tc.constraint_type = 'FOREIGN KEY'
            """, r => $"{r.GetString(0)}.{r.GetString(1)} -> {r.GetString(2)}.{r.GetString(3)} on delete {Rule(r.GetString(4))} ({r.GetString(5)})");

        var expected = new List<string>();
        foreach (var kind in EntityCatalog.All)
        {
            foreach (var field in kind.References)
            {
                var rule = field.CascadeDelete ? "cascade" : "refuse";
                var constraint = TableLayout.For(kind).Reference(field.Name)!.Constraint;
                expected.Add($"{kind.Name}.{field.Name}_id -> {field.References}.id on delete {rule} ({constraint})");
            }
        }
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_entity_table_has_a_gin_index_on_tags()
    {
        var database = await postgres.MigratedDatabaseAsync();
        var indexed = await QueryAsync(database,
            "SELECT tablename FROM pg_indexes WHERE schemaname = 'public' AND indexdef LIKE '%USING gin (tags)%'", r => r.GetString(0));

        Assert.Equal(EntityCatalog.All.Select(k => k.Name).Order(StringComparer.Ordinal), indexed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Reference_lists_are_gin_indexed_uuid_arrays_and_no_other_column_is_one()
    {
        var database = await postgres.MigratedDatabaseAsync();
        var arrays = await QueryAsync(database, """
            SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public' AND udt_name = '_uuid'
            """, r => r.GetString(0));
        var indexes = await QueryAsync(database, "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'",
            r => (Table: r.GetString(0), Definition: r.GetString(1)));

        var expected = new List<string>();
        foreach (var kind in EntityCatalog.All)
        {
            foreach (var list in TableLayout.For(kind).ReferenceLists)
            {
                expected.Add($"{kind.Name}.{list.Column}");
                Assert.Contains(indexes, i => i.Table == kind.Name && i.Definition.EndsWith($"USING gin ({list.Column})", StringComparison.Ordinal));
            }
        }
        Assert.Contains("services.ca_certificates", expected);
        Assert.Equal(expected.Order(StringComparer.Ordinal), arrays.Order(StringComparer.Ordinal));
    }

    // RESTRICT and NO ACTION both refuse the delete; they differ only in when the check runs.
    private static string Rule(string deleteRule) => deleteRule is "RESTRICT" or "NO ACTION" ? "refuse" : deleteRule.ToLowerInvariant();

    private static async Task<List<T>> QueryAsync<T>(string connectionString, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(read(reader));
        return rows;
    }
}
