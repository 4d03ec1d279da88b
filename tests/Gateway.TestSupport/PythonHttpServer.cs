using System.Diagnostics;
using System.Net.Sockets;

namespace Gateway.TestSupport;

/// <summary>
/// Python's standard-library HTTP server (<c>python3 -m http.server</c>) serving a directory on loopback: the kind of
/// upstream a development setup runs (an HTTP/1.0 server that closes the connection after each response, with an
/// accept backlog of five).
/// </summary>
public sealed class PythonHttpServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private PythonHttpServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Serves a directory holding <c>index.html</c> with <paramref name="content"/>.</summary>
    public static async Task<PythonHttpServer> StartAsync(string content = "hello\n")
    {
        var python = Executables.Require("python3", "python3");
        var directory = Directory.CreateTempSubdirectory("tollgate-python-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "index.html"), content);
        var port = FreePort.Next();
        var start = new ProcessStartInfo(python)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-m", "http.server", port.ToString(), "--bind", "127.0.0.1", "--directory", directory })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        // Its request log goes to stderr: read it so that the pipe never fills.
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new PythonHttpServer(process, directory, port);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
