using Gateway.Proxy.Store.Postgres;

namespace Gateway.Proxy.IntegrationTests.Store;

public sealed class MigratorTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Migrate_applies_every_migration_once_and_a_second_run_applies_nothing()
    {
        var database = await postgres.EmptyDatabaseAsync();

        var first = await Migrator.MigrateAsync(database, None);
        var second = await Migrator.MigrateAsync(database, None);

        Assert.Equal(Migration.All.Select(m => m.Id), first.Applied);
        Assert.Equal(0, first.FromVersion);
        Assert.Equal(Migration.Latest, first.ToVersion);
        Assert.Contains("0001_initial", first.Message);
        Assert.Empty(second.Applied);
        Assert.Equal($"database schema is up to date (version {Migration.Latest})", second.Message);
        Assert.Equal(Migration.All.Count, (int)await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Two_concurrent_migrate_runs_both_succeed_and_apply_each_migration_once()
    {
        var database = await postgres.EmptyDatabaseAsync();

        var results = await Task.WhenAll(
            Task.Run(() => Migrator.MigrateAsync(database, None)),
            Task.Run(() => Migrator.MigrateAsync(database, None)));

        Assert.Equal(Migration.All.Count, results.Sum(r => r.Applied.Count));
        Assert.True((await Migrator.CheckAsync(database, None)).IsCurrent);
        Assert.Equal(0L, await PostgresFixture.ScalarAsync<long>(database, "SELECT version FROM config_state"));
    }

    [Fact]
    public async Task Check_tells_an_empty_database_to_migrate_and_accepts_a_migrated_one()
    {
        var database = await postgres.EmptyDatabaseAsync();

        var before = await Migrator.CheckAsync(database, None);
        await Migrator.MigrateAsync(database, None);
        var after = await Migrator.CheckAsync(database, None);

        Assert.Equal(SchemaState.Behind, before.State);
        Assert.Equal(0, before.DatabaseVersion);
        Assert.Equal($"database schema is at version 0, this build needs {Migration.Latest}; run `Gateway.Proxy migrate`", before.Message);
        Assert.Equal(SchemaState.Current, after.State);
        Assert.Equal(Migration.Latest, after.DatabaseVersion);
    }

    [Fact]
    public async Task Check_creates_nothing_in_the_database()
    {
        var database = await postgres.EmptyDatabaseAsync();

        await Migrator.CheckAsync(database, None);

        Assert.False(await PostgresFixture.ScalarAsync<bool>(database, "SELECT to_regclass('schema_migrations') IS NOT NULL"));
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_build_is_reported_and_not_touched()
    {
        var database = await postgres.MigratedDatabaseAsync();
        await PostgresFixture.ExecuteAsync(database, "INSERT INTO schema_migrations (version, name) VALUES (9999, 'from_the_future')");

        var status = await Migrator.CheckAsync(database, None);
        var migrate = await Assert.ThrowsAsync<MigrationException>(() => Migrator.MigrateAsync(database, None));

        Assert.Equal(SchemaState.Ahead, status.State);
        Assert.Equal(9999, status.DatabaseVersion);
        Assert.Contains("newer than this build", status.Message);
        Assert.Contains("9999_from_the_future", status.Message);
        Assert.Equal(status.Message, migrate.Message);
    }

    [Fact]
    public async Task A_missing_migration_in_the_middle_counts_as_behind()
    {
        var database = await postgres.MigratedDatabaseAsync();
        await PostgresFixture.ExecuteAsync(database, "DELETE FROM schema_migrations WHERE version = 1");

        var status = await Migrator.CheckAsync(database, None);

        Assert.Equal(SchemaState.Behind, status.State);
    }
}
