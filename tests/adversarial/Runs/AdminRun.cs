using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Gateway.Adversarial.Generation;
using Gateway.Adversarial.Judging;
using Gateway.Adversarial.Wire;
using Gateway.TestSupport;

namespace Gateway.Adversarial.Runs;

/// <summary>
/// Runs the malformed Admin API requests, one at a time, against a gateway process (DB-less, or on a throwaway
/// Postgres) loaded with <see cref="AdminFixture"/>. After every write, and every few reads, it takes a hash of
/// the exported configuration (<c>GET /config?format=json</c>): a refused request must leave it as it was.
/// </summary>
public static class AdminRun
{
    public const string ServerError = "admin-5xx";
    public const string NotRefused = "not-refused";
    public const string ChangedByRefused = "changed-by-refused";
    public const string Cors = "cors-header";
    /// <summary>The gateway exited, or stopped answering <c>GET /config</c>, after a request.</summary>
    public const string Crashed = "crashed";
    public const string Unanswered = "unanswered";
    public const string Accepted = "accepted-writes";

    private const int ReadsBetweenChecks = 25;

    public static async Task<HarnessResult> RunAsync(HarnessSettings settings, AdminStore store, int count)
    {
        if (store == AdminStore.DbLess)
        {
            await using var dbless = GatewayProcess.Start(new Dictionary<string, string> { ["GATEWAY_DATABASE"] = "off" });
            return await AttackAsync(settings, store, count, dbless);
        }
        await using var postgres = await PostgresServer.StartAsync();
        var connection = await postgres.CreateDatabaseAsync();
        var migrate = await ProcessRunner.RunAsync("dotnet", [typeof(Gateway.Proxy.Cli.CommandLine).Assembly.Location, "migrate"],
            new Dictionary<string, string?> { ["GATEWAY_PG_CONNECTION"] = connection });
        if (migrate.ExitCode != 0) throw new InvalidOperationException($"migrate failed: {migrate}");
        await using var gateway = GatewayProcess.Start(new Dictionary<string, string>
        {
            ["GATEWAY_DATABASE"] = "postgres",
            ["GATEWAY_PG_CONNECTION"] = connection,
        });
        return await AttackAsync(settings, store, count, gateway);
    }

    private static async Task<HarnessResult> AttackAsync(HarnessSettings settings, AdminStore store, int count, GatewayProcess gateway)
    {
        await gateway.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var admin = new HttpClient { BaseAddress = new Uri($"http://{gateway.Admin}"), Timeout = TimeSpan.FromSeconds(60) };
        await LoadFixtureAsync(admin);

        var generator = new AdminCaseGenerator(store);
        var findings = new Findings();
        var peak = new PeakRss(gateway);
        var clock = Stopwatch.StartNew();
        var indexes = settings.CaseIndexes(count);
        var stored = new ConfigWatch(await ConfigHashAsync(admin));
        var readsSinceCheck = 0;
        foreach (var index in indexes)
        {
            var attack = generator.Generate(settings.Seed, index);
            findings.Count(attack.Class);
            if (settings.OnlyCase is not null) findings.Record(HarnessResult.Replayed, attack.Describe(HarnessResult.ReplayedLength));
            var exchange = await RawHttpClient.ExchangeAsync(gateway.Admin, [new WirePart(attack.Bytes)], TimeSpan.FromSeconds(60),
                headRequest: attack.Method == "HEAD");
            Judge(attack, exchange, findings);
            peak.SampleEvery(index, 100);
            if (gateway.HasExited)
            {
                findings.Record(Crashed, $"{attack} => {exchange}");
                break;
            }

            if (!attack.IsWrite && ++readsSinceCheck < ReadsBetweenChecks) continue;
            readsSinceCheck = 0;
            if (await TryConfigHashAsync(admin) is not { } hash)
            {
                findings.Record(Crashed, $"{attack} => {exchange}, then GET /config failed");
                break;
            }
            var before = stored.Current;
            if (stored.ChangedByRefused(hash, refused: exchange.First?.Status is null or >= 400))
                findings.Record(ChangedByRefused, $"{attack} => {exchange}");
            else if (stored.Current != before) findings.Count(Accepted);
        }
        var alive = await gateway.IsAliveAsync();
        peak.Sample();
        var name = store == AdminStore.DbLess ? "admin (DB-less)" : "admin (Postgres)";
        return new HarnessResult(name, settings, indexes.Count, findings, AdminCaseGenerator.Classes,
            [ServerError, NotRefused, ChangedByRefused, Cors, Crashed], [Unanswered, Accepted], peak.Megabytes, alive, clock.Elapsed, gateway.Output);
    }

    /// <summary>
    /// What the client saw: never a 5xx; a 4xx where the input can only be refused; no CORS headers (no
    /// admin GUI origin is configured, so no web page may read the answers).
    /// </summary>
    public static void Judge(AdminCase attack, RawExchange exchange, Findings findings)
    {
        var response = exchange.First;
        if (response is null)
        {
            findings.Record(Unanswered, $"{attack} => {exchange}");
            return;
        }
        if (response.Status >= 500) findings.Record(ServerError, $"{attack} => {exchange}");
        else if (attack.MustRefuse && response.Status is < 400) findings.Record(NotRefused, $"{attack} => {exchange}");
        if (response.Head.Value("Access-Control-Allow-Origin") is { } origin)
            findings.Record(Cors, $"{attack} => {exchange} with Access-Control-Allow-Origin: {origin}");
    }

    private static async Task LoadFixtureAsync(HttpClient admin)
    {
        using var content = new StringContent(RawJson.Write(AdminFixture.Document()), Encoding.UTF8, "application/json");
        using var response = await admin.PostAsync("/config", content);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"the admin fixture was not loaded: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    // Null when the gateway no longer answers: the request before has broken it.
    private static async Task<string?> TryConfigHashAsync(HttpClient admin)
    {
        try
        {
            return await ConfigHashAsync(admin);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            return null;
        }
    }

    private static async Task<string> ConfigHashAsync(HttpClient admin)
    {
        using var response = await admin.GetAsync("/config?format=json");
        var body = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"GET /config answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        return Convert.ToHexString(SHA256.HashData(body));
    }
}
