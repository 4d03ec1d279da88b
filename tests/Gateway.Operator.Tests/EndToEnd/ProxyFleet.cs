using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Settings;
using Gateway.Proxy.Store.Postgres;
using Gateway.TestSupport;

namespace Gateway.Operator.Tests.EndToEnd;

/// <summary>
/// A gateway's proxies as its Deployment would run them: real gateway hosts on one Postgres database, each with its
/// proxy on a loopback port and its Admin API on its own loopback address (as each pod has its own IP) at one shared
/// port, behind an admin token.
/// </summary>
sealed class ProxyFleet : IAsyncDisposable
{
    readonly List<WebApplication> hosts = [];
    readonly List<Process> processes = [];
    readonly List<string> cacheDirs = [];

    ProxyFleet(PostgresServer postgres, string token, int adminPort)
    {
        Postgres = postgres;
        Token = token;
        AdminPort = adminPort;
    }

    public PostgresServer Postgres { get; }
    public string Token { get; }
    public int AdminPort { get; }

    /// <summary>The pod address of each proxy's Admin API, as the gateway's admin EndpointSlice lists them.</summary>
    public List<IPAddress> AdminAddresses { get; } = [];

    /// <summary>A client of each proxy's proxy listener.</summary>
    public List<HttpClient> Proxies { get; } = [];

    /// <summary>A client of each proxy's Admin API, with the token.</summary>
    public List<HttpClient> Admins { get; } = [];

    /// <summary>
    /// Starts <paramref name="count"/> proxies on a new database: in this process, or, with
    /// <paramref name="asProcesses"/>, each as its own <c>Gateway.Proxy serve</c> process as pods run it (for figures,
    /// where proxies sharing the test's process and its garbage collector would be measured slower than they are).
    /// </summary>
    public static async Task<ProxyFleet> StartAsync(int count, string token, bool asProcesses = false)
    {
        var postgres = await PostgresServer.StartAsync();
        var connection = await postgres.CreateDatabaseAsync();
        await Migrator.MigrateAsync(connection, CancellationToken.None);
        // A loopback network of its own per fleet, so that fleets of tests running at once never share an address.
        var network = Random.Shared.Next(16, 250);
        var subnet = Random.Shared.Next(1, 250);
        var fleet = new ProxyFleet(postgres, token, FreePort.Next());
        for (var i = 0; i < count; i++)
        {
            var admin = IPAddress.Parse($"127.{network}.{subnet}.{i + 1}");
            var cache = Directory.CreateTempSubdirectory("tollgate-fleet-cache-").FullName;
            var settings = new GatewaySettings
            {
                Database = DatabaseMode.Postgres,
                PgConnection = connection,
                ProxyListen = new ListenAddress(IPAddress.Loopback, FreePort.Next()),
                AdminListen = new ListenAddress(admin, fleet.AdminPort),
                StatusListen = new ListenAddress(IPAddress.Loopback, FreePort.Next()),
                AdminToken = token,
                CacheDir = cache,
            };
            if (asProcesses)
                fleet.processes.Add(await StartProcessAsync(settings));
            else
            {
                var host = GatewayHost.Build(settings, null);
                await host.StartAsync();
                fleet.hosts.Add(host);
            }
            fleet.cacheDirs.Add(cache);
            fleet.AdminAddresses.Add(admin);
            fleet.Proxies.Add(new HttpClient { BaseAddress = new Uri($"http://{settings.ProxyListen}"), Timeout = TimeSpan.FromSeconds(10) });
            var adminClient = new HttpClient { BaseAddress = new Uri($"http://{admin}:{fleet.AdminPort}"), Timeout = TimeSpan.FromSeconds(10) };
            adminClient.DefaultRequestHeaders.Authorization = new("Bearer", token);
            fleet.Admins.Add(adminClient);
        }
        return fleet;
    }

    static async Task<Process> StartProcessAsync(GatewaySettings settings)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(Gateway.Proxy.Cli.CommandLine).Assembly.Location);
        start.ArgumentList.Add("serve");
        foreach (var name in Environment.GetEnvironmentVariables().Keys.OfType<string>().Where(n => n.StartsWith("GATEWAY_", StringComparison.Ordinal)))
            start.Environment.Remove(name);
        start.Environment["GATEWAY_DATABASE"] = "postgres";
        start.Environment["GATEWAY_PG_CONNECTION"] = settings.PgConnection;
        start.Environment["GATEWAY_PROXY_LISTEN"] = settings.ProxyListen!.ToString();
        start.Environment["GATEWAY_ADMIN_LISTEN"] = settings.AdminListen!.ToString();
        start.Environment["GATEWAY_STATUS_LISTEN"] = settings.StatusListen!.ToString();
        start.Environment["GATEWAY_ADMIN_TOKEN"] = settings.AdminToken;
        start.Environment["GATEWAY_CACHE_DIR"] = settings.CacheDir;
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var status = new HttpClient { BaseAddress = new Uri($"http://{settings.StatusListen}"), Timeout = TimeSpan.FromSeconds(2) };
        await Wait.UntilAsync(async () =>
        {
            try
            {
                return (await status.GetAsync("/readyz")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, $"the proxy process on {settings.ProxyListen} is ready", 30);
        return process;
    }

    /// <summary>Waits until every proxy answers <paramref name="path"/> with <paramref name="status"/>; returns the last body.</summary>
    public async Task<string> UntilEveryProxyAsync(string path, HttpStatusCode status, double seconds = 15, string? host = null)
    {
        var body = "";
        foreach (var proxy in Proxies)
        {
            await Wait.UntilAsync(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                if (host is not null)
                    request.Headers.Host = host;
                using var response = await proxy.SendAsync(request);
                body = await response.Content.ReadAsStringAsync();
                return response.StatusCode == status;
            }, $"{proxy.BaseAddress}{path.TrimStart('/')} answers {(int)status} (last answer: {body})", seconds);
        }
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in Proxies.Concat(Admins))
            client.Dispose();
        foreach (var process in processes)
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
        foreach (var host in hosts)
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }
        foreach (var dir in cacheDirs)
            Directory.Delete(dir, recursive: true);
        await Postgres.DisposeAsync();
    }
}
