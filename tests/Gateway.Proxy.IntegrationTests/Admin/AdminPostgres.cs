using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;
using Gateway.Proxy.Store;
using Gateway.Proxy.Store.Postgres;
using Gateway.TestSupport;
using Npgsql;

namespace Gateway.Proxy.IntegrationTests.Admin;

/// <summary>One throwaway Postgres server for all Admin API tests; each test gets a fresh, migrated database.</summary>
public sealed class AdminPostgres : IAsyncLifetime
{
    private PostgresServer? _server;
    private readonly Dictionary<PostgresConfigStore, NpgsqlDataSource> _sources = [];

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var source in _sources.Values) await source.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
    }

    public async Task<PostgresConfigStore> NewStoreAsync()
    {
        var connectionString = await _server!.CreateDatabaseAsync();
        await Migrator.MigrateAsync(connectionString, CancellationToken.None);
        var source = NpgsqlDataSource.Create(connectionString);
        var store = new PostgresConfigStore(source);
        _sources.Add(store, source);
        return store;
    }

    /// <summary>
    /// Closes the connections of a test's store once the test is over: idle pooled connections would otherwise pile up
    /// across the whole collection until the server refuses new clients.
    /// </summary>
    public async Task ReleaseAsync(PostgresConfigStore store)
    {
        if (!_sources.Remove(store, out var source)) return;
        await source.DisposeAsync();
    }

    /// <summary>The whole stored configuration as text, version included, to prove a refused write changed nothing.</summary>
    public static async Task<string> StateAsync(IConfigStore store)
    {
        var config = await store.LoadAllAsync(CancellationToken.None);
        var lines = new List<string> { "version " + config.Version };
        foreach (var kind in EntityCatalog.All)
            foreach (var entity in config.Of(kind).OrderBy(e => e.Id))
                lines.Add(kind.Name + " " + EntityJson.ToObject(entity).ToJsonString());
        return string.Join('\n', lines);
    }
}

[CollectionDefinition(Name)]
public sealed class AdminPostgresCollection : ICollectionFixture<AdminPostgres>
{
    public const string Name = "Admin API on Postgres";
}
