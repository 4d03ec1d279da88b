using System.Net;
using System.Text.Json;
using Gateway.Proxy.Entities;
using Gateway.Proxy.IntegrationTests.Proxying;
using Gateway.Proxy.RateLimits;
using Xunit.Abstractions;
using static Gateway.Proxy.IntegrationTests.Plugins.RateLimiting.RateLimitRequests;

namespace Gateway.Proxy.IntegrationTests.Plugins.RateLimiting;

/// <summary>rate-limiting with the local policy, end to end through the proxy.</summary>
public sealed class RateLimitingTests(ITestOutputHelper output) : PluginTestBase
{
    // The proxy believes X-Forwarded-For from loopback, so tests can play several client addresses.
    protected override Task<GatewayTestHost> StartGatewayAsync() =>
        GatewayTestHost.StartAsync(trustedProxies: [System.Net.IPNetwork.Parse("127.0.0.1/32")]);

    private async Task<List<HttpResponseMessage>> SendAsync(int count, string path, params (string Name, string Value)[] headers)
    {
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < count; i++) responses.Add(await GetAsync(path, headers));
        return responses;
    }

    private static int[] Statuses(IEnumerable<HttpResponseMessage> responses) => responses.Select(r => (int)r.StatusCode).ToArray();

    [Theory]
    [InlineData(RatePeriod.Second)]
    [InlineData(RatePeriod.Minute)]
    [InlineData(RatePeriod.Hour)]
    [InlineData(RatePeriod.Day)]
    [InlineData(RatePeriod.Month)]
    [InlineData(RatePeriod.Year)]
    public async Task Each_window_lets_its_limit_through_then_answers_429_with_kongs_body_and_headers(RatePeriod period)
    {
        var name = RatePeriods.Name(period);
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        config.Plugin("rate-limiting", $$"""{"{{name}}": 3, "limit_by": "header", "header_name": "X-Client"}""", route: route);
        Gateway.Apply(config.Build());

        var responses = await InOneWindowAsync(period, attempt => SendAsync(5, "/api", ("X-Client", $"client-{attempt}")));

        Assert.Equal(new[] { 200, 200, 200, 429, 429 }, Statuses(responses));
        var title = char.ToUpperInvariant(name[0]) + name[1..];
        Assert.Equal(new string?[] { "3", "3", "3", "3", "3" }, responses.Select(r => Header(r, "X-RateLimit-Limit-" + title)).ToArray());
        Assert.Equal(new string?[] { "2", "1", "0", "0", "0" }, responses.Select(r => Header(r, "X-RateLimit-Remaining-" + title)).ToArray());
        Assert.Equal(new string?[] { "2", "1", "0", "0", "0" }, responses.Select(r => Header(r, "RateLimit-Remaining")).ToArray());
        Assert.All(responses, r => Assert.Equal("3", Header(r, "RateLimit-Limit")));
        foreach (var response in responses)
        {
            var reset = long.Parse(Header(response, "RateLimit-Reset")!);
            Assert.InRange(reset, 1, RatePeriods.MaxSeconds(period));
        }
        Assert.Null(Header(responses[0], "Retry-After"));
        Assert.Equal(Header(responses[3], "RateLimit-Reset"), Header(responses[3], "Retry-After"));

        var refused = responses[4];
        using var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal("API rate limit exceeded", body.RootElement.GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("request_id").GetString()));
        Assert.Equal(3, Upstream.RequestCount);
    }

    [Fact]
    public async Task The_seed_sessions_headers_are_answered_exactly()
    {
        // curl -X POST /plugins --data name=rate-limiting --data config.second=4 --data config.hour=1200
        //   --data config.policy=local --data consumer.id=<slow_user> --data route.id=<api>
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config, "/api/");
        var slowUser = config.Consumer("slow_user");
        config.Credential(EntityCatalog.KeyAuthCredentials, slowUser, """{"key": "332d05445a560ee65a76aeaa372d8904"}""");
        config.Plugin("key-auth", route: route);
        config.Plugin("rate-limiting", """{"second": 4, "hour": 1200, "policy": "local"}""", route: route, consumer: slowUser);
        Gateway.Apply(config.Build());
        var key = ("apikey", "332d05445a560ee65a76aeaa372d8904");

        var responses = await InOneWindowAsync(RatePeriod.Second, _ => SendAsync(5, "/api/", key));

        var first = responses[0];
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("4", Header(first, "X-RateLimit-Limit-Second"));
        Assert.Equal("3", Header(first, "X-RateLimit-Remaining-Second"));
        Assert.Equal("4", Header(first, "RateLimit-Limit"));
        Assert.Equal("3", Header(first, "RateLimit-Remaining"));
        Assert.Equal("1", Header(first, "RateLimit-Reset"));
        Assert.Equal("1200", Header(first, "X-RateLimit-Limit-Hour"));
        Assert.Equal("1199", Header(first, "X-RateLimit-Remaining-Hour"));

        var refused = responses[4];
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", Header(refused, "Retry-After"));
        Assert.Equal("4", Header(refused, "X-RateLimit-Limit-Second"));
        Assert.Equal("0", Header(refused, "X-RateLimit-Remaining-Second"));
        Assert.Equal("4", Header(refused, "RateLimit-Limit"));
        Assert.Equal("0", Header(refused, "RateLimit-Remaining"));
        Assert.Equal("1", Header(refused, "RateLimit-Reset"));
        Assert.StartsWith("tollgate/", Header(refused, "Server"));
    }

    [Fact]
    public async Task The_seeds_user_tiers_each_get_exactly_their_limit_per_route_and_others_share_the_service_default()
    {
        var config = new GatewayConfig();
        var service = config.Service("pytbak", $$"""{"url": "{{Upstream.Url}}"}""");
        var api = config.Route(service, """{"paths": ["/api/"]}""");
        var get = config.Route(service, """{"paths": ["/api/get/"]}""");
        var post = config.Route(service, """{"paths": ["/api/post/"]}""");
        var users = new Dictionary<string, Guid>();
        foreach (var name in new[] { "slow_user", "fast_user", "admin" })
        {
            users[name] = config.Consumer(name);
            config.Credential(EntityCatalog.KeyAuthCredentials, users[name], $$"""{"key": "{{name}}-key"}""");
        }
        config.Plugin("key-auth", service: service);
        config.Plugin("rate-limiting", """{"second": 4}""", route: api, consumer: users["slow_user"]);
        config.Plugin("rate-limiting", """{"second": 2}""", route: get, consumer: users["slow_user"]);
        config.Plugin("rate-limiting", """{"second": 1}""", route: post, consumer: users["slow_user"]);
        config.Plugin("rate-limiting", """{"second": 8}""", route: api, consumer: users["fast_user"]);
        config.Plugin("rate-limiting", """{"second": 4}""", route: get, consumer: users["fast_user"]);
        config.Plugin("rate-limiting", """{"second": 2}""", route: post, consumer: users["fast_user"]);
        config.Plugin("rate-limiting", """{"second": 9}""", service: service);
        Gateway.Apply(config.Build());

        var table = new List<string>();
        foreach (var (user, path, limit) in new[]
                 {
                     ("slow_user", "/api/", 4), ("slow_user", "/api/get/", 2), ("slow_user", "/api/post/", 1),
                     ("fast_user", "/api/", 8), ("fast_user", "/api/get/", 4), ("fast_user", "/api/post/", 2),
                     ("admin", "/api/", 9), ("admin", "/api/get/", 9),
                 })
        {
            var responses = await InOneWindowAsync(RatePeriod.Second,
                _ => Task.WhenAll(Enumerable.Range(0, 12).Select(_ => GetAsync(path + "context", ("apikey", user + "-key")))));
            table.Add($"{user} {path}: {Allowed(responses)} of 12 allowed (limit {limit}/s)");
            Assert.Equal(limit, Allowed(responses));
            Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
            Assert.All(responses, r => Assert.Equal(limit.ToString(), Header(r, "X-RateLimit-Limit-Second")));
        }

        // The service-wide plugin counts a consumer across all the service's routes together, as Kong keys it.
        var shared = await InOneWindowAsync(RatePeriod.Second, _ => Task.WhenAll(
            Enumerable.Range(0, 12).Select(i => GetAsync(i % 2 == 0 ? "/api/" : "/api/get/", ("apikey", "admin-key")))));
        table.Add($"admin /api/ and /api/get/ together: {Allowed(shared)} of 12 allowed (limit 9/s)");
        output.WriteLine(string.Join("\n", table));
        Assert.Equal(9, Allowed(shared));
    }

    [Fact]
    public async Task Limit_by_consumer_counts_all_of_a_consumers_credentials_together()
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        var alice = config.Consumer("alice");
        config.Credential(EntityCatalog.KeyAuthCredentials, alice, """{"key": "alice-1"}""");
        config.Credential(EntityCatalog.KeyAuthCredentials, alice, """{"key": "alice-2"}""");
        var bob = config.Consumer("bob");
        config.Credential(EntityCatalog.KeyAuthCredentials, bob, """{"key": "bob-1"}""");
        config.Plugin("key-auth", route: route);
        config.Plugin("rate-limiting", """{"hour": 2}""", route: route);
        Gateway.Apply(config.Build());

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api", ("apikey", "alice-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api", ("apikey", "alice-2"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAsync("/api", ("apikey", "alice-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api", ("apikey", "bob-1"))).StatusCode);
    }

    [Fact]
    public async Task Limit_by_credential_counts_each_credential_apart()
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        var alice = config.Consumer("alice");
        config.Credential(EntityCatalog.KeyAuthCredentials, alice, """{"key": "alice-1"}""");
        config.Credential(EntityCatalog.KeyAuthCredentials, alice, """{"key": "alice-2"}""");
        config.Plugin("key-auth", route: route);
        config.Plugin("rate-limiting", """{"hour": 2, "limit_by": "credential"}""", route: route);
        Gateway.Apply(config.Build());

        Assert.Equal(new[] { 200, 200, 429 }, Statuses(await SendAsync(3, "/api", ("apikey", "alice-1"))));
        Assert.Equal(new[] { 200, 200, 429 }, Statuses(await SendAsync(3, "/api", ("apikey", "alice-2"))));
    }

    [Theory]
    [InlineData("consumer")]
    [InlineData("credential")]
    [InlineData("ip")]
    public async Task Without_authentication_clients_are_counted_by_address(string limitBy)
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        config.Plugin("rate-limiting", $$"""{"hour": 2, "limit_by": "{{limitBy}}"}""", route: route);
        Gateway.Apply(config.Build());

        Assert.Equal(new[] { 200, 200, 429 }, Statuses(await SendAsync(3, "/api", ("X-Forwarded-For", "203.0.113.7"))));
        Assert.Equal(new[] { 200, 200, 429 }, Statuses(await SendAsync(3, "/api", ("X-Forwarded-For", "198.51.100.2, 203.0.113.8"))));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAsync("/api", ("X-Forwarded-For", "203.0.113.7"))).StatusCode);
    }

    [Fact]
    public async Task Limit_by_service_counts_every_route_and_client_of_a_service_together()
    {
        var config = new GatewayConfig();
        var billing = config.Service("billing", $$"""{"url": "{{Upstream.Url}}"}""");
        config.Route(billing, """{"paths": ["/invoices"]}""");
        config.Route(billing, """{"paths": ["/receipts"]}""");
        var search = config.Service("search", $$"""{"url": "{{Upstream.Url}}"}""");
        config.Route(search, """{"paths": ["/search"]}""");
        config.Plugin("rate-limiting", """{"minute": 3, "hour": 3, "limit_by": "service"}""");
        Gateway.Apply(config.Build());

        var statuses = await InOneWindowAsync(RatePeriod.Minute, async _ => new[]
        {
            (int)(await GetAsync("/invoices", ("X-Forwarded-For", "203.0.113.1"))).StatusCode,
            (int)(await GetAsync("/receipts", ("X-Forwarded-For", "203.0.113.2"))).StatusCode,
            (int)(await GetAsync("/invoices", ("X-Forwarded-For", "203.0.113.3"))).StatusCode,
            (int)(await GetAsync("/receipts", ("X-Forwarded-For", "203.0.113.4"))).StatusCode,
            (int)(await GetAsync("/search")).StatusCode,
        });

        Assert.Equal(new[] { 200, 200, 200, 429, 200 }, statuses);
    }

    [Fact]
    public async Task Limit_by_header_counts_each_value_apart_and_falls_back_to_the_address_without_it()
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        config.Plugin("rate-limiting", """{"hour": 1, "limit_by": "header", "header_name": "X-Tenant"}""", route: route);
        Gateway.Apply(config.Build());

        Assert.Equal(new[] { 200, 429 }, Statuses(await SendAsync(2, "/api", ("X-Tenant", "acme"), ("X-Forwarded-For", "203.0.113.1"))));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAsync("/api", ("X-Tenant", "acme"), ("X-Forwarded-For", "203.0.113.2"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api", ("X-Tenant", "globex"))).StatusCode);
        Assert.Equal(new[] { 200, 429 }, Statuses(await SendAsync(2, "/api", ("X-Forwarded-For", "203.0.113.3"))));
    }

    [Fact]
    public async Task Limit_by_path_counts_every_client_of_that_path_together_and_other_paths_by_address()
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        config.Plugin("rate-limiting", """{"hour": 2, "limit_by": "path", "path": "/api/reports"}""", route: route);
        Gateway.Apply(config.Build());

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/reports", ("X-Forwarded-For", "203.0.113.1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/reports", ("X-Forwarded-For", "203.0.113.2"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAsync("/api/reports", ("X-Forwarded-For", "203.0.113.3"))).StatusCode);
        Assert.Equal(new[] { 200, 200, 429 }, Statuses(await SendAsync(3, "/api/other", ("X-Forwarded-For", "203.0.113.1"))));
    }

    [Fact]
    public async Task Hide_client_headers_removes_every_rate_limit_header_but_still_limits()
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        config.Plugin("rate-limiting", """{"hour": 1, "hide_client_headers": true}""", route: route);
        Gateway.Apply(config.Build());

        var responses = await SendAsync(2, "/api");

        Assert.Equal(new[] { 200, 429 }, Statuses(responses));
        foreach (var response in responses)
        {
            Assert.DoesNotContain(response.Headers, h => h.Key.Contains("RateLimit", StringComparison.OrdinalIgnoreCase));
            Assert.Null(Header(response, "Retry-After"));
        }
    }

    [Fact]
    public async Task A_custom_error_code_and_message_are_answered_as_valid_json()
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        config.Plugin("rate-limiting", """{"hour": 1, "error_code": 503, "error_message": "Slow down, \"please\""}""", route: route);
        Gateway.Apply(config.Build());

        var responses = await SendAsync(2, "/api");

        Assert.Equal(new[] { 200, 503 }, Statuses(responses));
        Assert.Equal("Slow down, \"please\"", await MessageOf(responses[1]));
    }

    [Fact]
    public async Task Counts_survive_a_configuration_change()
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        config.Plugin("rate-limiting", """{"hour": 3}""", route: route);
        Gateway.Apply(config.Build(version: 1));
        Assert.Equal(new[] { 200, 200 }, Statuses(await SendAsync(2, "/api")));

        Gateway.Apply(config.Build(version: 2));

        Assert.Equal(new[] { 200, 429 }, Statuses(await SendAsync(2, "/api")));
    }

    [Theory]
    [InlineData("redis")]
    [InlineData("cluster")]
    public async Task A_shared_policy_without_a_redis_counts_on_the_node(string policy)
    {
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        config.Plugin("rate-limiting", $$"""{"hour": 2, "policy": "{{policy}}"}""", route: route);
        Gateway.Apply(config.Build());

        Assert.Equal(new[] { 200, 200, 429 }, Statuses(await SendAsync(3, "/api")));
    }

    [Fact]
    public async Task A_request_refused_by_one_window_is_not_counted_in_the_others()
    {
        // A request refused by the second window takes nothing from the hour window.
        var config = new GatewayConfig();
        var (_, route) = ServiceAndRoute(config);
        config.Plugin("rate-limiting", """{"second": 2, "hour": 100, "limit_by": "header", "header_name": "X-Client"}""", route: route);
        Gateway.Apply(config.Build());

        var responses = await InOneWindowAsync(RatePeriod.Second, attempt => SendAsync(4, "/api", ("X-Client", $"c{attempt}")));

        Assert.Equal(new[] { 200, 200, 429, 429 }, Statuses(responses));
        Assert.Equal(new string?[] { "98", "98" }, responses.Skip(2).Select(r => Header(r, "X-RateLimit-Remaining-Hour")).ToArray());
        Assert.Equal("0", Header(responses[3], "RateLimit-Remaining"));
        Assert.Equal("2", Header(responses[3], "RateLimit-Limit"));
    }
}
