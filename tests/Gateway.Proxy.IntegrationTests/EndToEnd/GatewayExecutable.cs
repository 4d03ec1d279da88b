using System.Diagnostics;
using System.Text;
using Gateway.Proxy.Cli;
using Gateway.TestSupport;

namespace Gateway.Proxy.IntegrationTests.EndToEnd;

/// <summary>
/// The real gateway program (<c>dotnet Gateway.Proxy.dll</c>), run either to completion (<see cref="RunAsync"/>)
/// or as a long-running server (<see cref="Start"/>) that is killed on dispose.
/// </summary>
public sealed class GatewayExecutable : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private GatewayExecutable(Process process) => _process = process;

    /// <summary>Gateway.Proxy.dll, copied next to the test assembly by the project reference.</summary>
    public static string DllPath => typeof(CommandLine).Assembly.Location;

    public static Task<ProcessResult> RunAsync(IDictionary<string, string?> env, params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [DllPath, .. args], WithIsolation(env), TimeSpan.FromSeconds(30));

    public static GatewayExecutable Start(IDictionary<string, string?> env, params string[] args)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(DllPath);
        foreach (var arg in args) startInfo.ArgumentList.Add(arg);
        foreach (var (name, value) in WithIsolation(env))
        {
            if (value is null) startInfo.Environment.Remove(name);
            else startInfo.Environment[name] = value;
        }
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start the gateway");
        var gateway = new GatewayExecutable(process);
        process.OutputDataReceived += (_, e) => gateway.Append(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return gateway;
    }

    /// <summary>Everything the process printed so far, for failure messages.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    // Any GATEWAY_* variable of the test run itself must not leak into the program under test.
    private static Dictionary<string, string?> WithIsolation(IDictionary<string, string?> env)
    {
        var all = new Dictionary<string, string?>();
        foreach (var name in Environment.GetEnvironmentVariables().Keys)
        {
            if (name is string text && text.StartsWith("GATEWAY_", StringComparison.Ordinal)) all[text] = null;
        }
        foreach (var (name, value) in env) all[name] = value;
        return all;
    }
}
