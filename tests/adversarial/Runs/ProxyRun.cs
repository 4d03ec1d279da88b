using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Adversarial.Generation;
using Gateway.Adversarial.Judging;
using Gateway.Adversarial.Wire;

namespace Gateway.Adversarial.Runs;

/// <summary>
/// Runs the hostile proxy requests against a DB-less gateway process configured by <see cref="ProxyFixture"/>,
/// in front of an <see cref="UpstreamRecorder"/>, and judges both sides: every answer (no 5xx of the gateway's
/// own) and every request that reached the upstream (<see cref="UpstreamJudge"/>).
/// </summary>
public static class ProxyRun
{
    public const string GatewayServerError = "gateway-5xx";
    public const string VersionNotSupported = "version-505";
    public const string Unanswered = "unanswered";
    public const string UpstreamRequests = "upstream-requests";

    private const int Concurrency = 8;
    private static readonly TimeSpan WatchForMore = TimeSpan.FromMilliseconds(150);

    public static async Task<HarnessResult> RunAsync(HarnessSettings settings)
    {
        var findings = new Findings();
        var sent = new ConcurrentDictionary<int, SentCase>();
        UpstreamJudge? judge = null;
        var warmup = new ConcurrentQueue<RecordedRequest>();
        await using var recorder = UpstreamRecorder.Start(request =>
        {
            if (Volatile.Read(ref judge) is { } active) active.Judge(request);
            else warmup.Enqueue(request);
        });

        var configFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(configFile, ProxyFixture.DeclarativeYaml(recorder.Port));
        try
        {
            await using var gateway = GatewayProcess.Start(new Dictionary<string, string>
            {
                ["GATEWAY_DATABASE"] = "off",
                ["GATEWAY_DECLARATIVE_CONFIG"] = configFile,
            });
            await gateway.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            await CheckFixtureAsync(gateway, recorder, warmup);
            Volatile.Write(ref judge, new UpstreamJudge(gateway.Proxy.Port, i => sent.GetValueOrDefault(i), findings));

            var clock = Stopwatch.StartNew();
            var indexes = settings.CaseIndexes(settings.Count);
            var peak = new PeakRss(gateway);
            await Parallel.ForEachAsync(indexes, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (index, _) =>
            {
                var hostile = ProxyCaseGenerator.Generate(settings.Seed, index);
                sent[index] = SentCase.Of(hostile);
                findings.Count(hostile.Class);
                if (settings.OnlyCase is not null) findings.Record(HarnessResult.Replayed, hostile.Describe(HarnessResult.ReplayedLength));
                var exchange = await RawHttpClient.ExchangeAsync(gateway.Proxy, hostile.Parts, hostile.AnswerTimeout, hostile.IsHead,
                    hostile.WatchForMore ? WatchForMore : null);
                Judge(hostile, exchange, findings);
                peak.SampleEvery(index, 250);
            });
            await recorder.WaitUntilIdleAsync(quiet: TimeSpan.FromMilliseconds(300), limit: TimeSpan.FromSeconds(15));
            var alive = await gateway.IsAliveAsync();
            peak.Sample();
            return new HarnessResult("proxy", settings, indexes.Count, findings, ProxyCaseGenerator.Classes,
                [.. UpstreamJudge.Violations, GatewayServerError], [Unanswered, VersionNotSupported, UpstreamRequests], peak.Megabytes, alive, clock.Elapsed,
                gateway.Output);
        }
        finally
        {
            File.Delete(configFile);
        }
    }

    /// <summary>
    /// What the client saw: a 5xx without the upstream's mark is the gateway's own. 505 is the exception: it is the
    /// protocol's answer to a request line in an HTTP version the server does not speak (Kestrel's, as nginx's), not
    /// a failure, and is counted apart.
    /// </summary>
    public static void Judge(ProxyCase hostile, RawExchange exchange, Findings findings)
    {
        foreach (var response in exchange.Responses)
        {
            if (response.FromUpstream || response.Status < 500) continue;
            if (response.Status == 505) findings.Count(VersionNotSupported);
            else findings.Record(GatewayServerError, $"{hostile} => {exchange}");
        }
        if (exchange.Responses.Count == 0 && !hostile.Incomplete)
            findings.Record(Unanswered, $"{hostile} => {exchange}");
    }

    /// <summary>
    /// Before attacking, the fixture must behave: the key opens /admin, nothing else does, and / is open.
    /// Otherwise "no bypass" would mean nothing.
    /// </summary>
    private static async Task CheckFixtureAsync(GatewayProcess gateway, UpstreamRecorder recorder, ConcurrentQueue<RecordedRequest> warmup)
    {
        async Task ExpectAsync(string request, int status)
        {
            var exchange = await RawHttpClient.ExchangeAsync(gateway.Proxy, [new WirePart(WireText.Bytes(request))], TimeSpan.FromSeconds(10));
            if (exchange.First?.Status != status)
                throw new InvalidOperationException($"the proxy fixture does not work: {request.Split('\r')[0]} answered {exchange}, expected {status}");
        }
        await ExpectAsync($"GET {ProxyFixture.GuardedPrefix}/check HTTP/1.1\r\nHost: 127.0.0.1\r\n{ProxyFixture.KeyHeader}: {ProxyFixture.ValidKey}\r\n\r\n", 200);
        await ExpectAsync($"GET {ProxyFixture.GuardedPrefix}/check HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 401);
        await ExpectAsync("GET /public/check HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 200);
        await recorder.WaitUntilIdleAsync(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        if (warmup.Count != 2) throw new InvalidOperationException($"the upstream recorder saw {warmup.Count} fixture checks, expected 2");
    }
}
