using Npgsql;

namespace Gateway.Proxy.Store.Postgres;

/// <summary>
/// Applies the embedded migrations and tells whether a database matches this build. Each migration runs in
/// its own transaction; a session-level advisory lock serialises concurrent runs (several pods, a Job retried
/// while the previous one still runs), so every run either applies a migration or sees it applied.
/// </summary>
public static class Migrator
{
    // Distinct from the store's write lock so that migrating never waits for configuration writes.
    private const long MigrationLockKey = 0x546f6c6c_6d696772; // "Tollmigr"

    private const string CreateBookkeeping = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version int PRIMARY KEY,
            name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    /// <summary>Applies every pending migration; a second run applies nothing.</summary>
    /// <exception cref="MigrationException">The database holds migrations this build does not know.</exception>
    public static async Task<MigrationResult> MigrateAsync(string connectionString, CancellationToken ct)
    {
        // Unpooled: the advisory lock belongs to the session, and closing this connection ends the session,
        // which releases the lock even when a migration fails half-way.
        await using var connection = new NpgsqlConnection(Unpooled(connectionString));
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({MigrationLockKey})", ct);
        await ExecuteAsync(connection, CreateBookkeeping, ct);

        var applied = await ReadAppliedAsync(connection, ct);
        var status = SchemaStatus.Compare(applied, Migration.All);
        if (status.State == SchemaState.Ahead) throw new MigrationException(status.Message);

        var done = new HashSet<int>();
        foreach (var migration in applied) done.Add(migration.Version);
        var appliedNow = new List<string>();
        foreach (var migration in Migration.All)
        {
            if (done.Contains(migration.Version)) continue;
            await ApplyAsync(connection, migration, ct);
            appliedNow.Add(migration.Id);
        }
        return new MigrationResult(status.DatabaseVersion, Migration.Latest, appliedNow);
    }

    /// <summary>Compares the database's applied migrations with the ones this build carries. Changes nothing.</summary>
    public static async Task<SchemaStatus> CheckAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(Unpooled(connectionString));
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection);
        var hasBookkeeping = (bool)(await exists.ExecuteScalarAsync(ct))!;
        var applied = hasBookkeeping ? await ReadAppliedAsync(connection, ct) : [];
        return SchemaStatus.Compare(applied, Migration.All);
    }

    private static async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        try
        {
            await ExecuteAsync(connection, migration.Sql, ct);
        }
        catch (PostgresException e)
        {
            throw new MigrationException($"migration {migration.Id} failed: {e.MessageText}", e);
        }
        await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection);
        record.Parameters.Add(new NpgsqlParameter { Value = migration.Version });
        record.Parameters.Add(new NpgsqlParameter { Value = migration.Name });
        await record.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private static async Task<List<AppliedMigration>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT version, name FROM schema_migrations ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var applied = new List<AppliedMigration>();
        while (await reader.ReadAsync(ct)) applied.Add(new AppliedMigration(reader.GetInt32(0), reader.GetString(1)));
        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
}

/// <summary>A row of schema_migrations.</summary>
public sealed record AppliedMigration(int Version, string Name);

/// <summary>What a <c>migrate</c> run did.</summary>
public sealed record MigrationResult(int FromVersion, int ToVersion, IReadOnlyList<string> Applied)
{
    public string Message => Applied.Count == 0
        ? $"database schema is up to date (version {ToVersion})"
        : $"applied {Applied.Count} migration{(Applied.Count == 1 ? "" : "s")} ({string.Join(", ", Applied)}); database schema is at version {ToVersion}";
}

/// <summary>A migration could not be applied, or the database is newer than this build.</summary>
public sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner);
