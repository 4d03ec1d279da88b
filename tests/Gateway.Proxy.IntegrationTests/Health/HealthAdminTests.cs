using System.Net;
using System.Text.Json.Nodes;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.IntegrationTests.Admin;
using Gateway.Proxy.IntegrationTests.EndToEnd;
using Gateway.Proxy.Settings;
using Gateway.Proxy.Store.Postgres;
using static Gateway.Proxy.IntegrationTests.Health.HealthTesting;

namespace Gateway.Proxy.IntegrationTests.Health;

/// <summary>
/// Kong's health paths of the Admin API and the target health metrics, on a whole gateway: upstream "pool" (passive checks)
/// over targets a and b routed at /pool, and upstream "plain" (no checks) over target c.
/// </summary>
public abstract class HealthAdminTests : IAsyncLifetime
{
    protected ControlledUpstream A { get; private set; } = null!;
    protected ControlledUpstream B { get; private set; } = null!;
    protected ControlledUpstream C { get; private set; } = null!;
    protected AdminClient Admin { get; set; } = null!;
    protected HttpClient Proxy { get; set; } = null!;
    protected HttpClient Status { get; set; } = null!;

    public async Task InitializeAsync()
    {
        A = await ControlledUpstream.StartAsync("a");
        B = await ControlledUpstream.StartAsync("b");
        C = await ControlledUpstream.StartAsync("c");
        await StartGatewayAsync();
        // The configuration has reached the proxy once both targets answer and the health paths see the checks.
        await Loopback.WaitForStatusAsync(Proxy, "/pool", HttpStatusCode.OK, TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => Health("pool").Result.All(t => t.Health == "HEALTHY"), "pool's targets are checked");
    }

    public async Task DisposeAsync()
    {
        await StopGatewayAsync();
        await A.DisposeAsync();
        await B.DisposeAsync();
        await C.DisposeAsync();
    }

    /// <summary>Starts the gateway with the configuration described above and sets the clients.</summary>
    protected abstract Task StartGatewayAsync();

    protected abstract Task StopGatewayAsync();

    private async Task<List<(string Target, string Health, JsonNode Data)>> Health(string upstream)
    {
        var body = (await Admin.GetAsync($"/upstreams/{upstream}/health")).Expect(200).Json;
        Assert.False(string.IsNullOrEmpty((string?)body["node_id"]));
        return body["data"]!.AsArray()
            .Select(t => ((string)t!["target"]!, (string)t["health"]!, t["data"]!))
            .OrderBy(t => t.Item1, StringComparer.Ordinal).ToList();
    }

    private async Task<string> HealthOf(string upstream, ControlledUpstream target) =>
        (await Health(upstream)).Single(t => t.Target == target.Address).Health;

    private async Task<JsonNode> BalancerHealth(string upstream) =>
        (await Admin.GetAsync($"/upstreams/{upstream}/health?balancer_health=1")).Expect(200).Json["data"]!;

    private async Task<List<string>> ServedByAsync(int count)
    {
        var names = new List<string>();
        for (var i = 0; i < count; i++) names.Add(await Proxy.GetStringAsync("/pool"));
        return names;
    }

    private Task<string> MetricsAsync() => Status.GetStringAsync("/metrics");

    [Fact]
    public async Task Each_target_is_listed_with_its_health_on_this_node()
    {
        var targets = await Health("pool");

        Assert.Equal(new[] { A.Address, B.Address }.Order(StringComparer.Ordinal), targets.Select(t => t.Target));
        Assert.All(targets, t => Assert.Equal("HEALTHY", t.Health));
        var address = targets[0].Data["addresses"]![0]!;
        Assert.Equal("HEALTHY", (string)address["health"]!);
        Assert.Equal(100, (int)address["weight"]!);
        Assert.Equal(100, (int)targets[0].Data["weight"]!["available"]!);
    }

    [Fact]
    public async Task A_target_set_unhealthy_gets_no_traffic_until_set_healthy()
    {
        (await Admin.SendAsync(HttpMethod.Put, $"/upstreams/pool/targets/{A.Address}/unhealthy", null)).Expect(204);

        Assert.Equal("UNHEALTHY", await HealthOf("pool", A));
        Assert.Equal("HEALTHY", await HealthOf("pool", B));
        Assert.All(await ServedByAsync(6), name => Assert.Equal("b", name));
        var balancer = await BalancerHealth("pool");
        Assert.Equal("HEALTHY", (string)balancer["health"]!);
        Assert.Equal("""{"total":200,"available":100,"unavailable":100}""", balancer["details"]!["weight"]!.ToJsonString());

        // Kong accepts POST as well, and a target named by its id.
        var aId = (await Admin.GetAsync($"/upstreams/pool/targets/{A.Address}")).Expect(200).Id;
        (await Admin.SendAsync(HttpMethod.Post, $"/upstreams/pool/targets/{aId}/healthy", null)).Expect(204);

        Assert.Equal("HEALTHY", await HealthOf("pool", A));
        Assert.Contains("a", await ServedByAsync(4));
    }

    [Fact]
    public async Task With_every_target_unhealthy_the_upstream_is_unhealthy_and_answers_503()
    {
        (await Admin.SendAsync(HttpMethod.Put, $"/upstreams/pool/targets/{A.Address}/unhealthy", null)).Expect(204);
        (await Admin.SendAsync(HttpMethod.Put, $"/upstreams/pool/targets/{B.Address}/unhealthy", null)).Expect(204);

        Assert.Equal("UNHEALTHY", (string)(await BalancerHealth("pool"))["health"]!);
        using var response = await Proxy.GetAsync("/pool");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("failure to get a peer from the ring-balancer", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_target_found_failing_by_traffic_shows_unhealthy()
    {
        A.Status = 500;
        var before = A.Requests;
        for (var i = 0; i < 6; i++) (await Proxy.GetAsync("/pool")).Dispose();

        Assert.Equal("UNHEALTHY", await HealthOf("pool", A));
        Assert.Equal(before + 1, A.Requests);
    }

    [Fact]
    public async Task Without_checks_targets_are_healthchecks_off_and_cannot_be_set()
    {
        Assert.Equal("HEALTHCHECKS_OFF", await HealthOf("plain", C));
        Assert.Equal("HEALTHCHECKS_OFF", (string)(await BalancerHealth("plain"))["health"]!);

        var refused = (await Admin.SendAsync(HttpMethod.Put, $"/upstreams/plain/targets/{C.Address}/unhealthy", null)).Expect(400);

        Assert.Equal("no healthchecker found for plain", refused.String("message"));
    }

    [Fact]
    public async Task Unknown_upstreams_and_targets_are_404_and_other_methods_405()
    {
        (await Admin.GetAsync("/upstreams/nowhere/health")).Expect(404);
        (await Admin.SendAsync(HttpMethod.Put, "/upstreams/pool/targets/127.0.0.9:1/healthy", null)).Expect(404);
        (await Admin.SendAsync(HttpMethod.Put, $"/upstreams/plain/targets/{A.Address}/healthy", null)).Expect(404);
        (await Admin.GetAsync($"/upstreams/pool/targets/{A.Address}/healthy")).Expect(405);
        (await Admin.DeleteAsync("/upstreams/pool/health")).Expect(405);
    }

    [Fact]
    public async Task Metrics_show_each_targets_state_and_its_changes()
    {
        (await Admin.SendAsync(HttpMethod.Put, $"/upstreams/pool/targets/{A.Address}/unhealthy", null)).Expect(204);

        var metrics = await MetricsAsync();

        string Line(string upstream, ControlledUpstream target, string state, int value) =>
            $"tollgate_upstream_target_health{{upstream=\"{upstream}\",target=\"{target.Address}\",address=\"{target.Address}\",state=\"{state}\"}} {value}\n";
        Assert.Contains("# TYPE tollgate_upstream_target_health gauge", metrics);
        Assert.Contains(Line("pool", A, "unhealthy", 1), metrics);
        Assert.Contains(Line("pool", A, "healthy", 0), metrics);
        Assert.Contains(Line("pool", B, "healthy", 1), metrics);
        Assert.Contains(Line("plain", C, "healthchecks_off", 1), metrics);
        Assert.Contains(Line("plain", C, "dns_error", 0), metrics);
        Assert.Contains($"tollgate_upstream_target_health_changes_total{{upstream=\"pool\",target=\"{A.Address}\",state=\"unhealthy\"}} 1\n", metrics);
        Assert.Contains($"tollgate_upstream_target_health_changes_total{{upstream=\"pool\",target=\"{A.Address}\",state=\"healthy\"}} 0\n", metrics);
    }

    /// <summary>The configuration as a declarative file.</summary>
    protected string Declarative() => $$"""
        _format_version: "3.0"
        upstreams:
        - name: pool
          healthchecks:
            passive:
              unhealthy:
                http_failures: 1
          targets:
          - target: {{A.Address}}
          - target: {{B.Address}}
        - name: plain
          targets:
          - target: {{C.Address}}
        services:
        - name: svc
          host: pool
          retries: 0
          routes:
          - paths: [/pool]
        """;
}

/// <summary>The health paths with configuration in Postgres, set up through the Admin API as a Kong user would.</summary>
public sealed class PostgresHealthAdminTests(PostgresClassFixture postgres) : HealthAdminTests, IClassFixture<PostgresClassFixture>
{
    private InProcessGateway _gateway = null!;

    protected override async Task StartGatewayAsync()
    {
        var cs = await postgres.Server.CreateDatabaseAsync();
        await Migrator.MigrateAsync(cs, CancellationToken.None);
        _gateway = await InProcessGateway.StartAsync(cs);
        Admin = new AdminClient(_gateway.Admin);
        Proxy = _gateway.Proxy;
        Status = _gateway.Status;
        (await Admin.PostJsonAsync("/upstreams", """{"name": "pool", "healthchecks": {"passive": {"unhealthy": {"http_failures": 1}}}}""")).Expect(201);
        (await Admin.PostFormAsync("/upstreams/pool/targets", ("target", A.Address))).Expect(201);
        (await Admin.PostFormAsync("/upstreams/pool/targets", ("target", B.Address))).Expect(201);
        (await Admin.PostFormAsync("/upstreams", ("name", "plain"))).Expect(201);
        (await Admin.PostFormAsync("/upstreams/plain/targets", ("target", C.Address))).Expect(201);
        (await Admin.PostFormAsync("/services", ("name", "svc"), ("host", "pool"), ("retries", "0"))).Expect(201);
        (await Admin.PostFormAsync("/services/svc/routes", ("paths[]", "/pool"))).Expect(201);
    }

    protected override Task StopGatewayAsync() => _gateway.DisposeAsync().AsTask();

    [Fact]
    public async Task A_bad_healthchecks_field_is_refused_with_400_naming_it()
    {
        var json = (await Admin.PostJsonAsync("/upstreams", """{"name": "bad", "healthchecks": {"active": {"type": "udp", "healthy": {"successes": 300}}}}"""))
            .Expect(400).Json;
        Assert.Equal("expected one of: http, https, tcp", (string)json["fields"]!["healthchecks"]!["active"]!["type"]!);
        Assert.Equal("value should be between 0 and 255", (string)json["fields"]!["healthchecks"]!["active"]!["healthy"]!["successes"]!);

        var form = (await Admin.PostFormAsync("/upstreams", ("name", "bad"), ("healthchecks.threshold", "150"))).Expect(400).Json;
        Assert.Equal("value should be between 0 and 100", (string)form["fields"]!["healthchecks"]!["threshold"]!);
        (await Admin.GetAsync("/upstreams/bad")).Expect(404);
    }

    [Fact]
    public async Task Form_fields_set_nested_healthchecks_as_with_curl()
    {
        var upstream = (await Admin.FormAsync("PATCH", "/upstreams/pool",
            ("healthchecks.active.healthy.interval", "5"), ("healthchecks.active.http_path", "/status"))).Expect(200).Json;

        Assert.Equal(5, (double)upstream["healthchecks"]!["active"]!["healthy"]!["interval"]!);
        Assert.Equal("/status", (string)upstream["healthchecks"]!["active"]!["http_path"]!);
        Assert.Equal(1, (int)upstream["healthchecks"]!["passive"]!["unhealthy"]!["http_failures"]!);
    }
}

/// <summary>The health paths in DB-less mode: node state, so they work although the configuration cannot be written.</summary>
public sealed class DbLessHealthAdminTests : HealthAdminTests
{
    private WebApplication _gateway = null!;
    private string _cacheDir = null!;

    protected override async Task StartGatewayAsync()
    {
        var parsed = DeclarativeParser.Parse(Declarative());
        Assert.True(parsed.IsValid, parsed.Describe());
        _cacheDir = Directory.CreateTempSubdirectory("tollgate-health-").FullName;
        var settings = new GatewaySettings
        {
            Database = DatabaseMode.Off,
            ProxyListen = Loopback.FreeAddress(),
            AdminListen = Loopback.FreeAddress(),
            StatusListen = Loopback.FreeAddress(),
            CacheDir = _cacheDir,
        };
        _gateway = GatewayHost.Build(settings, parsed.Config);
        await _gateway.StartAsync();
        Admin = new AdminClient(Loopback.Client(settings.AdminListen!));
        Proxy = Loopback.Client(settings.ProxyListen!);
        Status = Loopback.Client(settings.StatusListen!);
    }

    protected override async Task StopGatewayAsync()
    {
        Admin.Dispose();
        Proxy.Dispose();
        Status.Dispose();
        await _gateway.StopAsync();
        await _gateway.DisposeAsync();
        Directory.Delete(_cacheDir, recursive: true);
    }

    [Fact]
    public async Task A_declarative_file_with_a_bad_healthchecks_field_is_refused_naming_it()
    {
        var reply = (await Admin.PostJsonAsync("/config", new JsonObject
        {
            ["config"] = Declarative().Replace("http_failures: 1", "http_failures: -1"),
        }.ToJsonString())).Expect(400);

        Assert.Contains("http_failures", reply.Text);
        Assert.Contains("value should be between 0 and 255", reply.Text);
        Assert.Equal("HEALTHY", (await Admin.GetAsync("/upstreams/pool/health")).Expect(200).Json["data"]![0]!["health"]!.GetValue<string>());
    }
}
