using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Proxy.Declarative;
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

    private static async Task<((HttpStatusCode Status, JsonNode Body) Reply, double Ms)> PostAsync(InProcessGateway gateway, string json)
    {
        var clock = Stopwatch.StartNew();
        using var response = await gateway.Admin.PostAsync("/config", new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var ms = clock.Elapsed.TotalMilliseconds;
        return ((response.StatusCode, JsonNode.Parse(text)!), ms);
    }
}
