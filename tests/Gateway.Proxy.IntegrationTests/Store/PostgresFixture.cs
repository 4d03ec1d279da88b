using Gateway.Proxy.Store.Postgres;
using Gateway.TestSupport;
using Npgsql;

namespace Gateway.Proxy.IntegrationTests.Store;

/// <summary>One throwaway Postgres server per test class; each test takes a fresh database of its own.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("the server has not started");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>A new, empty database (no migrations applied).</summary>
    public Task<string> EmptyDatabaseAsync() => Server.CreateDatabaseAsync();

    /// <summary>A new database migrated to this build's schema.</summary>
    public async Task<string> MigratedDatabaseAsync()
    {
        var connectionString = await Server.CreateDatabaseAsync();
        await Migrator.MigrateAsync(connectionString, CancellationToken.None);
        return connectionString;
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
