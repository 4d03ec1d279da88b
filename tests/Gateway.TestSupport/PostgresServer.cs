using Npgsql;

namespace Gateway.TestSupport;

/// <summary>
/// A throwaway PostgreSQL cluster on a free loopback port, living in a temporary directory.
/// PostgreSQL refuses to run as root, so when the tests run as root every server command is
/// run as the "postgres" user through runuser, in a directory that user owns.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    const int StartAttempts = 3;

    // Durability is worthless for a cluster that is deleted after the test run.
    static readonly string[] SpeedSettings =
    [
        "fsync = off",
        "synchronous_commit = off",
        "full_page_writes = off",
        "shared_buffers = 32MB",
        "max_connections = 200",
        "listen_addresses = '127.0.0.1'",
        "log_min_messages = warning",
    ];

    readonly string _root;
    bool _running;

    PostgresServer(string root, int port)
    {
        _root = root;
        Port = port;
    }

    public int Port { get; private set; }

    string DataDirectory => Path.Combine(_root, "data");

    string SocketDirectory => Path.Combine(_root, "socket");

    string LogFile => Path.Combine(_root, "postgres.log");

    public static async Task<PostgresServer> StartAsync()
    {
        // Resolve the binaries first so a missing install fails before anything is created.
        _ = PostgresBinaries.InitDb;

        var root = Directory.CreateTempSubdirectory("tollgate-pg-").FullName;
        var server = new PostgresServer(root, FreePort.Next());
        try
        {
            await server.InitializeAsync();
            await server.StartWithPortRetriesAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> over TCP as the postgres superuser.</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = database,
        }.ConnectionString;

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "test_" + Guid.NewGuid().ToString("N");
        await ExecuteAdminAsync($"CREATE DATABASE \"{name}\"");
        return ConnectionString(name);
    }

    /// <summary>Stops the server (fast shutdown: open sessions are cut) and keeps its data.</summary>
    public async Task StopAsync()
    {
        await PgCtlAsync(["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"]);
        _running = false;
    }

    /// <summary>Starts a stopped server again on the same port with the same data.</summary>
    public Task StartAgainAsync() => StartOnceAsync();

    public async ValueTask DisposeAsync()
    {
        if (_running)
        {
            try
            {
                await StopAsync();
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                // The directory is removed below either way; a failed stop must not hide a test failure.
            }
        }
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    async Task InitializeAsync()
    {
        Directory.CreateDirectory(SocketDirectory);
        if (Environment.IsPrivilegedProcess)
            await RequireSuccessAsync("chown", ["-R", "postgres:postgres", _root]);

        await RunServerCommandAsync(PostgresBinaries.InitDb,
        [
            "-D", DataDirectory, "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions",
        ]);

        // Appending keeps the file's owner, so this works as root too.
        await File.AppendAllLinesAsync(Path.Combine(DataDirectory, "postgresql.conf"), SpeedSettings);
    }

    // Another process can grab the port between FreePort.Next() and the bind, so try a few ports.
    async Task StartWithPortRetriesAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartOnceAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts)
            {
                Port = FreePort.Next();
            }
        }
    }

    async Task StartOnceAsync()
    {
        var serverOptions = $"-p {Port} -k {SocketDirectory}";
        try
        {
            await PgCtlAsync(["start", "-D", DataDirectory, "-l", LogFile, "-o", serverOptions, "-w", "-t", "60"]);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message}\n--- {LogFile} ---\n{ReadLog()}", e);
        }
        _running = true;
        await WaitUntilAcceptingAsync();
    }

    // pg_ctl -w already waits for readiness; this proves TCP connections from Npgsql work too.
    async Task WaitUntilAcceptingAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await ExecuteAdminAsync("SELECT 1");
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    // Pooling is off so that administrative connections never linger in a pool.
    async Task ExecuteAdminAsync(string sql)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionString()) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    Task PgCtlAsync(string[] args) => RunServerCommandAsync(PostgresBinaries.PgCtl, args);

    static Task RunServerCommandAsync(string program, string[] args) =>
        Environment.IsPrivilegedProcess
            ? RequireSuccessAsync("runuser", ["-u", "postgres", "--", program, .. args])
            : RequireSuccessAsync(program, args);

    static async Task RequireSuccessAsync(string program, string[] args)
    {
        var result = await ProcessRunner.RunAsync(program, args, timeout: TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {result}");
    }

    string ReadLog() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log)";
}
