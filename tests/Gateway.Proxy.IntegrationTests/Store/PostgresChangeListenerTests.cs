using System.Threading.Channels;
using Gateway.Proxy.Store;
using Gateway.Proxy.Store.Postgres;
using Npgsql;

namespace Gateway.Proxy.IntegrationTests.Store;

/// <summary>These tests stop and restart their server, so they have one of their own.</summary>
public sealed class PostgresChangeListenerTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Signals_once_on_connect_then_every_committed_version_in_order()
    {
        await using var setup = await Setup.StartAsync(postgres);
        Assert.Equal(new ConfigChangeSignal(ChangeReason.Connected, null), await setup.NextSignalAsync());
        Assert.True(setup.Listener.IsConnected);

        await setup.Store.InsertAsync(Valid.Service("orders"), None);
        Assert.Equal(new ConfigChangeSignal(ChangeReason.Notified, 1), await setup.NextSignalAsync());

        // A refused write is rolled back, and so is its notification: the next signal is the next real version.
        await Assert.ThrowsAsync<StoreException>(() => setup.Store.InsertAsync(Valid.Service("orders"), None));
        await setup.Store.InsertAsync(Valid.Service("billing"), None);
        Assert.Equal(new ConfigChangeSignal(ChangeReason.Notified, 2), await setup.NextSignalAsync());
    }

    [Fact]
    public async Task Concurrent_writes_are_notified_in_increasing_version_order()
    {
        await using var setup = await Setup.StartAsync(postgres);
        await setup.NextSignalAsync();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => setup.Store.InsertAsync(Valid.Consumer($"u{i}"), None))));

        // Notifications that arrive together are coalesced into their newest version.
        var versions = new List<long>();
        while (versions.Count == 0 || versions[^1] < 20)
        {
            var signal = await setup.NextSignalAsync();
            Assert.Equal(ChangeReason.Notified, signal.Reason);
            versions.Add(signal.Version!.Value);
        }
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
    }

    [Fact]
    public async Task Reconnects_by_itself_after_the_database_restarts_and_signals_to_reload()
    {
        await using var setup = await Setup.StartAsync(postgres);
        await setup.NextSignalAsync();
        await setup.Store.InsertAsync(Valid.Service("before"), None);
        Assert.Equal(1, (await setup.NextSignalAsync()).Version);
        await using var readerSource = NpgsqlDataSource.Create(setup.Database);
        var reader = new PostgresConfigStore(readerSource);
        Assert.Equal(1, (await reader.LoadAllAsync(None)).Version);

        await postgres.Server.StopAsync();
        await WaitUntilAsync(() => !setup.Listener.IsConnected);
        await using (var downSource = NpgsqlDataSource.Create(setup.Database))
        {
            var down = await Assert.ThrowsAsync<StoreException>(() => new PostgresConfigStore(downSource).GetVersionAsync(None));
            Assert.Equal(StoreErrorKind.Unavailable, down.Kind);
        }
        await postgres.Server.StartAgainAsync();

        Assert.Equal(new ConfigChangeSignal(ChangeReason.Connected, null), await setup.NextSignalAsync());
        Assert.True(setup.Listener.IsConnected);
        // Both stores' pools still hold connections to the stopped server; they recover on their own.
        await setup.Store.InsertAsync(Valid.Service("after"), None);
        Assert.Equal(new ConfigChangeSignal(ChangeReason.Notified, 2), await setup.NextSignalAsync());
        var config = await reader.LoadAllAsync(None);
        Assert.Equal((2L, 2), (config.Version, config.Services.Count));
    }

    [Fact]
    public async Task Stops_promptly_on_cancellation_even_while_the_database_is_down()
    {
        await using var connected = await Setup.StartAsync(postgres);
        await connected.NextSignalAsync();
        await connected.StopListeningAsync();

        var unreachable = new NpgsqlConnectionStringBuilder(postgres.Server.ConnectionString()) { Port = Gateway.TestSupport.FreePort.Next() };
        using var cancel = new CancellationTokenSource();
        var listener = new PostgresChangeListener(unreachable.ConnectionString, (_, _) => Task.CompletedTask);
        var running = listener.RunAsync(cancel.Token);
        await Task.Delay(500);
        Assert.False(listener.IsConnected);
        cancel.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(running.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_failing_consumer_does_not_stop_the_feed()
    {
        var database = await postgres.MigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        var store = new PostgresConfigStore(dataSource);
        var seen = Channel.CreateUnbounded<ConfigChangeSignal>();
        using var cancel = new CancellationTokenSource();
        var listener = new PostgresChangeListener(database, async (signal, _) =>
        {
            await seen.Writer.WriteAsync(signal);
            throw new InvalidOperationException("reload failed");
        });
        var running = listener.RunAsync(cancel.Token);

        await seen.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        await store.InsertAsync(Valid.Service("a"), None);
        Assert.Equal(1, (await seen.Reader.ReadAsync().AsTask().WaitAsync(Patience)).Version);
        await store.InsertAsync(Valid.Service("b"), None);
        Assert.Equal(2, (await seen.Reader.ReadAsync().AsTask().WaitAsync(Patience)).Version);

        cancel.Cancel();
        await running.WaitAsync(Patience);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(50);
        }
    }

    /// <summary>A migrated database, a store on it and a running listener whose signals are queued for the test.</summary>
    private sealed class Setup : IAsyncDisposable
    {
        private readonly Channel<ConfigChangeSignal> _signals = Channel.CreateUnbounded<ConfigChangeSignal>();
        private readonly CancellationTokenSource _cancel = new();
        private NpgsqlDataSource _dataSource = null!;
        private Task _running = Task.CompletedTask;

        public string Database { get; private set; } = "";
        public PostgresConfigStore Store { get; private set; } = null!;
        public PostgresChangeListener Listener { get; private set; } = null!;

        public static async Task<Setup> StartAsync(PostgresFixture postgres)
        {
            var database = await postgres.MigratedDatabaseAsync();
            var setup = new Setup { Database = database };
            setup._dataSource = NpgsqlDataSource.Create(database);
            setup.Store = new PostgresConfigStore(setup._dataSource);
            setup.Listener = new PostgresChangeListener(database, (signal, ct) => setup._signals.Writer.WriteAsync(signal, ct).AsTask());
            setup._running = setup.Listener.RunAsync(setup._cancel.Token);
            return setup;
        }

        public async Task<ConfigChangeSignal> NextSignalAsync() => await _signals.Reader.ReadAsync().AsTask().WaitAsync(Patience);

        public async Task StopListeningAsync()
        {
            _cancel.Cancel();
            await _running.WaitAsync(Patience);
            Assert.False(Listener.IsConnected);
        }

        public async ValueTask DisposeAsync()
        {
            await StopListeningAsync();
            _cancel.Dispose();
            await _dataSource.DisposeAsync();
        }
    }
}
