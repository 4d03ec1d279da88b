using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gateway.Proxy.Cli;
using Gateway.TestSupport;

namespace Gateway.Adversarial.Wire;

/// <summary>
/// The built gateway (<c>dotnet Gateway.Proxy.dll serve</c>) as a process of its own, so that a crash is seen as a
/// crash and its peak memory can be read from <c>/proc/&lt;pid&gt;/status</c>. Listens on free loopback ports.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 200;

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly string _cacheDir;

    private GatewayProcess(Process process, string cacheDir, IPEndPoint proxy, IPEndPoint admin, IPEndPoint status)
    {
        _process = process;
        _cacheDir = cacheDir;
        Proxy = proxy;
        Admin = admin;
        Status = status;
    }

    public IPEndPoint Proxy { get; }
    public IPEndPoint Admin { get; }
    public IPEndPoint Status { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the gateway printed, for failure messages.</summary>
    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    /// <summary>Starts <c>serve</c> with <paramref name="settings"/> (GATEWAY_* variables) on top of the listeners and cache.</summary>
    public static GatewayProcess Start(IReadOnlyDictionary<string, string> settings, params string[] command)
    {
        var cacheDir = Directory.CreateTempSubdirectory("tollgate-adversarial-").FullName;
        var proxy = new IPEndPoint(IPAddress.Loopback, FreePort.Next());
        var admin = new IPEndPoint(IPAddress.Loopback, FreePort.Next());
        var status = new IPEndPoint(IPAddress.Loopback, FreePort.Next());
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(CommandLine).Assembly.Location);
        foreach (var word in command.Length == 0 ? ["serve"] : command) start.ArgumentList.Add(word);
        // Only what is set here reaches the gateway: settings of the harness's own environment must not leak in.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("GATEWAY_", StringComparison.Ordinal)).ToArray())
            start.Environment.Remove(name);
        start.Environment["GATEWAY_PROXY_LISTEN"] = proxy.ToString();
        start.Environment["GATEWAY_ADMIN_LISTEN"] = admin.ToString();
        start.Environment["GATEWAY_STATUS_LISTEN"] = status.ToString();
        start.Environment["GATEWAY_CACHE_DIR"] = cacheDir;
        foreach (var (name, value) in settings) start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the gateway");
        var gateway = new GatewayProcess(process, cacheDir, proxy, admin, status);
        process.OutputDataReceived += (_, e) => gateway.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return gateway;
    }

    /// <summary>Waits until the status listener answers <c>/readyz</c> with 200; fails with the gateway's output otherwise.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan limit)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://{Status}"), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (HasExited) throw new InvalidOperationException($"the gateway exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await client.GetAsync("/readyz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"the gateway was not ready within {limit}:\n{Output}");
    }

    /// <summary>Whether the process runs and its status listener still answers.</summary>
    public async Task<bool> IsAliveAsync()
    {
        if (HasExited) return false;
        using var client = new HttpClient { BaseAddress = new Uri($"http://{Status}"), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await client.GetAsync("/healthz");
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>The peak resident set size so far (VmHWM), in MB; null when the process is gone.</summary>
    public double? PeakRssMegabytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return double.Parse(kilobytes, CultureInfo.InvariantCulture) / 1024;
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            // Exited.
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (Directory.Exists(_cacheDir)) Directory.Delete(_cacheDir, recursive: true);
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptOutputLines) _output.Dequeue();
        }
    }
}
