using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Config;
using Gateway.Proxy.Admin.Http;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Store.Scoped;
using Gateway.Proxy.Store.Postgres;
using Xunit.Abstractions;

namespace Gateway.Proxy.IntegrationTests.EndToEnd;

/// <summary>
/// A scoped POST /config of 5,000 entities (1,000 services, 2,000 routes, 2,000 consumers) on Postgres: applied,
/// posted again without a write, then with one route changed. The times are printed, not asserted.
/// </summary>
[Collection(nameof(TimingCollection))]
public class ScopedConfigScaleTests(PostgresClassFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresClassFixture>
{
    private const string Tag = "tollgate-operator:default.scale";

    private static string Document(string changedPath)
    {
        var services = new JsonArray();
        for (var s = 0; s < 1000; s++)
        {
            var routes = new JsonArray();
            for (var r = 0; r < 2; r++)
            {
                var name = $"route-{s}-{r}";
                routes.Add(new JsonObject
                {
                    ["id"] = DeterministicIds.For("routes", name).ToString(),
                    ["name"] = name,
                    ["paths"] = new JsonArray(s == 0 && r == 0 ? changedPath : $"/s{s}/r{r}"),
                    ["tags"] = new JsonArray(Tag),
                });
            }
            services.Add(new JsonObject
            {
                ["id"] = DeterministicIds.For("services", $"service-{s}").ToString(),
                ["name"] = $"service-{s}",
                ["url"] = $"http://service-{s}.internal:8080",
                ["tags"] = new JsonArray(Tag),
                ["routes"] = routes,
            });
        }
        var consumers = new JsonArray();
        for (var c = 0; c < 2000; c++)
            consumers.Add(new JsonObject { ["username"] = $"consumer-{c}", ["tags"] = new JsonArray(Tag) });
        return new JsonObject
        {
            ["_format_version"] = "3.0",
            ["_info"] = new JsonObject { ["select_tags"] = new JsonArray(Tag) },
            ["services"] = services,
            ["consumers"] = consumers,
        }.ToJsonString();
    }

    [Fact]
    public async Task Five_thousand_entities_are_applied_then_found_unchanged()
    {
        var cs = await postgres.Server.CreateDatabaseAsync();
        await Migrator.MigrateAsync(cs, CancellationToken.None);
        await using var gateway = await InProcessGateway.StartAsync(cs);
        await Loopback.CreateServiceWithRouteAsync(gateway.Admin, "manual", "http://manual.internal", "/manual");

        var (created, createdMs) = await PostAsync(gateway, Document("/s0/r0"));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(5000, created.Body["_changes"]!["created"]!.GetValue<int>());

        var (same, sameMs) = await PostAsync(gateway, Document("/s0/r0"));
        Assert.Equal(HttpStatusCode.OK, same.Status);

        var (changed, changedMs) = await PostAsync(gateway, Document("/changed"));
        Assert.Equal(HttpStatusCode.Created, changed.Status);
        Assert.Equal("""{"created":0,"updated":1,"deleted":0}""", changed.Body["_changes"]!.ToJsonString());
        var routes = JsonNode.Parse(await gateway.Admin.GetStringAsync("/routes?size=1000"))!["data"]!.AsArray();
        Assert.Equal(1000, routes.Count);

        var report = $"scoped POST /config, 5,000 entities (2,000 routes) on Postgres: first apply {createdMs:F0} ms, " +
                     $"same document again {sameMs:F0} ms, one route changed {changedMs:F0} ms";
        output.WriteLine(report);
        Console.WriteLine(report);
    }

    /// <summary>
    /// A document shaped as the operator writes it for 2,000 Ingress routes over 500 Services (500 services, 500
    /// upstreams, 1,500 targets, 2,000 routes, top-level arrays with references by id, seven source tags each), about
    /// 2 MB, posted with check_hash=1 as the operator posts it: applied, posted again unchanged (304), then with one
    /// route added. Each is repeated and the median printed, since the first requests also pay for the JIT.
    /// </summary>
    [Fact]
    public async Task An_operator_sized_document_is_found_unchanged_and_takes_one_new_route()
    {
        var cs = await postgres.Server.CreateDatabaseAsync();
        await Migrator.MigrateAsync(cs, CancellationToken.None);
        await using var gateway = await InProcessGateway.StartAsync(cs);

        const string checkHash = "/config?check_hash=1";
        var (created, createdMs) = await PostAsync(gateway, OperatorDocument(0), checkHash);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(4500, created.Body["_changes"]!["created"]!.GetValue<int>());

        const int rounds = 5;
        var unchanged = new List<double>();
        var added = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var (same, sameMs) = await PostAsync(gateway, OperatorDocument(round - 1), checkHash);
            Assert.Equal(HttpStatusCode.NotModified, same.Status);
            unchanged.Add(sameMs);

            var (more, moreMs) = await PostAsync(gateway, OperatorDocument(round), checkHash);
            Assert.Equal(HttpStatusCode.Created, more.Status);
            Assert.Equal("""{"created":1,"updated":0,"deleted":0}""", more.Body["_changes"]!.ToJsonString());
            added.Add(moreMs);
        }
        var routes = JsonNode.Parse(await gateway.Admin.GetStringAsync("/routes?size=1000&tags=extra"))!["data"]!.AsArray();
        Assert.Equal(rounds, routes.Count);

        var report = $"operator-sized scoped POST /config ({OperatorDocument(0).Length / 1024} KiB, 4,500 entities) on Postgres: " +
                     $"first apply {createdMs:F0} ms, unchanged (304) median {Median(unchanged):F0} ms, " +
                     $"one route added median {Median(added):F0} ms (of {rounds} each)";
        output.WriteLine(report);
        Console.WriteLine(report);
        await PrintPhasesAsync(cs, rounds);
    }

    /// <summary>
    /// The steps of an import of one route more than stored, each timed on its own in this process against the
    /// configuration the store now holds, median of <paramref name="rounds"/> runs.
    /// </summary>
    private async Task PrintPhasesAsync(string cs, int rounds)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(cs);
        var stored = await new PostgresConfigStore(dataSource).LoadAllAsync(CancellationToken.None);
        var text = OperatorDocument(rounds + 1);
        // Time on a shared machine varies; what each step allocates does not, and is printed with it.
        var phases = new Dictionary<string, (List<double> Times, double Megabytes)>();
        void Time(string phase, Action step)
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            step();
            var ms = clock.Elapsed.TotalMilliseconds;
            if (!phases.TryGetValue(phase, out var seen)) phases[phase] = seen = ([], 0);
            seen.Times.Add(ms);
            phases[phase] = seen with { Megabytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / 1e6 };
        }
        // What the Admin API remembers from the document before: the same one less the new route.
        var remembered = new ValidatedEntries();
        Assert.True(DeclarativeParser.Parse(RequestBody.ParseJsonObject(OperatorDocument(rounds)), validated: remembered).IsValid);
        for (var round = 0; round < rounds; round++)
        {
            JsonObject document = null!;
            DeclarativeResult parsed = null!;
            ScopedPlan plan = null!;
            Time("read", () => document = RequestBody.ParseJsonObject(text));
            Time("hash", () => AppliedDocument.Hash(text));
            Time("parse", () => parsed = DeclarativeParser.Parse(document));
            // Parsing replaces what is remembered with this document's entries, so each round starts from a copy.
            var before = new ValidatedEntries();
            before.Replace(remembered.Last);
            Time("parse remembering the document before", () => Assert.True(DeclarativeParser.Parse(document, validated: before).IsValid));
            Time("plan", () => plan = ScopedReplace.Plan(stored, [Tag], parsed.Config!, 0));
            Assert.Single(plan.Created);
            Time("201 body", () => LoadedBody.For(LoadedBody.Stored(plan.Merged, parsed.Config!)).ToJsonString());
            // What a proxy that did not write does on the change notice: read everything again, then compile it.
            Time("full read (other proxies)", () => new PostgresConfigStore(dataSource).LoadAllAsync(CancellationToken.None).GetAwaiter().GetResult());
            Time("snapshot compile", () => Gateway.Proxy.Snapshots.ConfigSnapshot.Compile(stored));
        }
        var report = "phases of one import, medians: " + string.Join(", ", phases.Select(p => $"{p.Key} {Median(p.Value.Times):F0} ms ({p.Value.Megabytes:F1} MB)"));
        output.WriteLine(report);
        Console.WriteLine(report);
    }

    /// <summary>The operator's document with <paramref name="extraRoutes"/> more routes tagged <c>extra</c>.</summary>
    private static string OperatorDocument(int extraRoutes)
    {
        string[] Tags(string kind, string name) =>
            [Tag, "k8s-kind:" + kind, "k8s-namespace:default", "k8s-name:" + name,
             "k8s-uid:" + DeterministicIds.For("uid", kind + name), "k8s-group:networking.k8s.io", "k8s-version:v1"];
        JsonObject Ref(Guid id) => new() { ["id"] = id.ToString() };

        var services = new JsonArray();
        var upstreams = new JsonArray();
        var targets = new JsonArray();
        var routes = new JsonArray();
        for (var s = 0; s < 500; s++)
        {
            var upstream = $"svc-{s}.default.8080.svc";
            var serviceId = DeterministicIds.For("services", upstream);
            var upstreamId = DeterministicIds.For("upstreams", upstream);
            services.Add(new JsonObject
            {
                ["id"] = serviceId.ToString(), ["name"] = upstream, ["protocol"] = "http", ["host"] = upstream, ["port"] = 8080,
                ["retries"] = 5, ["connect_timeout"] = 60000, ["write_timeout"] = 60000, ["read_timeout"] = 60000,
                ["tags"] = new JsonArray([.. Tags("Service", $"svc-{s}").Select(t => JsonValue.Create(t))]),
            });
            upstreams.Add(new JsonObject
            {
                ["id"] = upstreamId.ToString(), ["name"] = upstream,
                ["tags"] = new JsonArray([.. Tags("Service", $"svc-{s}").Select(t => JsonValue.Create(t))]),
            });
            for (var t = 0; t < 3; t++)
            {
                var address = $"10.{s / 250}.{s % 250}.{t + 1}:8080";
                targets.Add(new JsonObject
                {
                    ["id"] = DeterministicIds.For("targets", address + upstream).ToString(), ["target"] = address, ["weight"] = 100,
                    ["upstream"] = Ref(upstreamId),
                    ["tags"] = new JsonArray([.. Tags("Service", $"svc-{s}").Select(t => JsonValue.Create(t))]),
                });
            }
        }
        for (var r = 0; r < 2000 + extraRoutes; r++)
        {
            var name = r < 2000 ? $"default.ingress-{r}.0.0" : $"default.extra-{r}.0.0";
            var tags = Tags("Ingress", r < 2000 ? $"ingress-{r}" : $"extra-{r}").Select(t => JsonValue.Create(t)).ToList();
            if (r >= 2000) tags.Add(JsonValue.Create("extra"));
            routes.Add(new JsonObject
            {
                ["id"] = DeterministicIds.For("routes", name).ToString(), ["name"] = name,
                ["protocols"] = new JsonArray("http", "https"), ["hosts"] = new JsonArray($"app-{r}.example.com"),
                ["paths"] = new JsonArray($"/r{r}"), ["https_redirect_status_code"] = 426, ["regex_priority"] = 0,
                ["strip_path"] = false, ["preserve_host"] = true,
                ["service"] = Ref(DeterministicIds.For("services", $"svc-{r % 500}.default.8080.svc")),
                ["tags"] = new JsonArray([.. tags]),
            });
        }
        return new JsonObject
        {
            ["_format_version"] = "3.0",
            ["_info"] = new JsonObject { ["select_tags"] = new JsonArray(Tag) },
            ["services"] = services,
            ["routes"] = routes,
            ["upstreams"] = upstreams,
            ["targets"] = targets,
        }.ToJsonString();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static async Task<((HttpStatusCode Status, JsonNode Body) Reply, double Ms)> PostAsync(InProcessGateway gateway, string json,
        string path = "/config")
    {
        var clock = Stopwatch.StartNew();
        using var response = await gateway.Admin.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var ms = clock.Elapsed.TotalMilliseconds;
        return ((response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!), ms);
    }
}
