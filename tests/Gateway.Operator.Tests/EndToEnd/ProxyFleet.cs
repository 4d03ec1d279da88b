using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
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
    readonly List<string> directories = [];

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

    /// <summary>Each proxy's TLS proxy listener, when the fleet was started with one.</summary>
    public List<IPEndPoint> TlsListeners { get; } = [];

    /// <summary>A client of each proxy's Admin API, with the token.</summary>
    public List<HttpClient> Admins { get; } = [];

    /// <summary>
    /// Starts <paramref name="count"/> proxies on a new database: in this process, or, with
    /// <paramref name="asProcesses"/>, each as its own <c>Gateway.Proxy serve</c> process as pods run it (for figures,
    /// where proxies sharing the test's process and its garbage collector would be measured slower than they are).
    /// With <paramref name="tlsCertificate"/> (PEM of a certificate and its key) each also has a TLS proxy listener
    /// serving it when no SNI of the configuration matches, as a gateway's proxy.tls Secret does.
    /// </summary>
    public static async Task<ProxyFleet> StartAsync(int count, string token, bool asProcesses = false, (string Cert, string Key)? tlsCertificate = null)
    {
        var postgres = await PostgresServer.StartAsync();
        var connection = await postgres.CreateDatabaseAsync();
        await Migrator.MigrateAsync(connection, CancellationToken.None);
        // A loopback network of its own per fleet, so that fleets of tests running at once never share an address.
        var network = Random.Shared.Next(16, 250);
        var subnet = Random.Shared.Next(1, 250);
        var fleet = new ProxyFleet(postgres, token, FreePort.Next());
        string? certFile = null, keyFile = null;
        if (tlsCertificate is { } pem)
        {
            var dir = Directory.CreateTempSubdirectory("tollgate-fleet-tls-").FullName;
            fleet.directories.Add(dir);
            certFile = Path.Combine(dir, "tls.crt");
            keyFile = Path.Combine(dir, "tls.key");
            await File.WriteAllTextAsync(certFile, pem.Cert);
            await File.WriteAllTextAsync(keyFile, pem.Key);
        }
        for (var i = 0; i < count; i++)
        {
            var admin = IPAddress.Parse($"127.{network}.{subnet}.{i + 1}");
            var cache = Directory.CreateTempSubdirectory("tollgate-fleet-cache-").FullName;
            var settings = new GatewaySettings
            {
                Database = DatabaseMode.Postgres,
                PgConnection = connection,
                ProxyListen = new ListenAddress(IPAddress.Loopback, FreePort.Next()),
                ProxyTlsListen = certFile is null ? null : new ListenAddress(IPAddress.Loopback, FreePort.Next()),
                ProxyTlsCert = certFile,
                ProxyTlsKey = keyFile,
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
            fleet.directories.Add(cache);
            if (settings.ProxyTlsListen is { } tls)
                fleet.TlsListeners.Add(new IPEndPoint(tls.Address, tls.Port));
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
        if (settings.ProxyTlsListen is { } tls)
        {
            start.Environment["GATEWAY_PROXY_TLS_LISTEN"] = tls.ToString();
            start.Environment["GATEWAY_PROXY_TLS_CERT"] = settings.ProxyTlsCert;
            start.Environment["GATEWAY_PROXY_TLS_KEY"] = settings.ProxyTlsKey;
        }
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

    /// <summary>
    /// One GET over a new TLS connection to the TLS listener of proxy <paramref name="proxy"/>, with
    /// <paramref name="sni"/> as the server name and <paramref name="host"/> (else the SNI) as the Host header; the
    /// answer comes with the SHA-256 hash of the certificate the proxy presented (any certificate is accepted).
    /// </summary>
    public async Task<HttpsAnswer> HttpsAsync(int proxy, string sni, string path, string? host = null)
    {
        string? presented = null;
        using var handler = new SocketsHttpHandler
        {
            // The handler would take the server name from the Host header: the TLS handshake is made here instead,
            // so that the two can differ, and the handler speaks HTTP over it.
            ConnectCallback = async (_, cancel) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(TlsListeners[proxy], cancel);
                    var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
                    await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                    {
                        TargetHost = sni,
                        RemoteCertificateValidationCallback = (_, _, _, _) => true,
                    }, cancel);
                    presented = tls.RemoteCertificate?.GetCertHashString(HashAlgorithmName.SHA256);
                    return tls;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{host ?? sni}{path}");
        using var response = await client.SendAsync(request);
        return new HttpsAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(), presented!);
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
        foreach (var dir in directories)
            Directory.Delete(dir, recursive: true);
        await Postgres.DisposeAsync();
    }
}

/// <summary>What a proxy answered over TLS, and the SHA-256 hash of the certificate it presented.</summary>
sealed record HttpsAnswer(HttpStatusCode Status, string Body, string Certificate);
