using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Gateway.TestSupport;

/// <summary>A throwaway redis-server on a free loopback port, without persistence.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    const int StartAttempts = 3;
    static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    readonly string _executable;
    readonly string _root;
    Process? _process;

    RedisServer(string executable, string root, int port)
    {
        _executable = executable;
        _root = root;
        Port = port;
    }

    public int Port { get; private set; }

    /// <summary>A StackExchange.Redis connection string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    string LogFile => Path.Combine(_root, "redis.log");

    public static async Task<RedisServer> StartAsync()
    {
        var executable = Executables.Require("redis-server", "redis-server");
        var root = Directory.CreateTempSubdirectory("tollgate-redis-").FullName;
        var server = new RedisServer(executable, root, FreePort.Next());
        try
        {
            await server.StartWithPortRetriesAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Shuts the server down; its data is gone since nothing is persisted.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
            return;
        try
        {
            await SendAsync("SHUTDOWN NOSAVE");
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            // The server closes the connection as it exits; that is the expected answer.
        }
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts a stopped server again on the same port (empty, as nothing was saved).</summary>
    public Task StartAgainAsync() => StartOnceAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
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
        var startInfo = new ProcessStartInfo(_executable) { UseShellExecute = false };
        string[] args =
        [
            "--port", Port.ToString(), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--dir", _root, "--logfile", LogFile,
        ];
        foreach (var arg in args)
            startInfo.ArgumentList.Add(arg);

        _process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"could not start {_executable}");
        await WaitUntilReadyAsync(_process);
    }

    async Task WaitUntilReadyAsync(Process process)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            if (process.HasExited)
            {
                _process = null;
                throw new InvalidOperationException(
                    $"redis-server exited with code {process.ExitCode} on port {Port}\n--- {LogFile} ---\n{ReadLog()}");
            }
            try
            {
                if ((await SendAsync("PING")).StartsWith("+PONG", StringComparison.Ordinal))
                    return;
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"redis-server did not answer PING on port {Port} within {ReadyTimeout}");
            await Task.Delay(50);
        }
    }

    /// <summary>Runs one inline command (say, an ACL SETUSER) as the default user; answers its short reply, trimmed.</summary>
    public async Task<string> CommandAsync(string command) => (await SendAsync(command)).TrimEnd();

    // One inline command over a fresh connection; good enough for PING and SHUTDOWN.
    async Task<string> SendAsync(string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
        var buffer = new byte[16 * 1024];
        var read = await stream.ReadAsync(buffer);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    string ReadLog() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log)";
}
