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
    private readonly List<NpgsqlDataSource> _sources = [];

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var source in _sources) await source.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
    }

    public async Task<PostgresConfigStore> NewStoreAsync()
    {
        var connectionString = await _server!.CreateDatabaseAsync();
        await Migrator.MigrateAsync(connectionString, CancellationToken.None);
        var source = NpgsqlDataSource.Create(connectionString);
        _sources.Add(source);
        return new PostgresConfigStore(source);
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
