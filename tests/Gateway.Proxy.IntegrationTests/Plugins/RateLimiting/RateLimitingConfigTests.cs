using System.Text.Json.Nodes;
using Gateway.Proxy.Admin;
using Gateway.Proxy.IntegrationTests.Admin;
using Gateway.Proxy.PluginEngine;

namespace Gateway.Proxy.IntegrationTests.Plugins.RateLimiting;

/// <summary>The rate-limiting config through the Admin API: Kong's defaults, and a 400 naming the field for bad input.</summary>
public sealed class RateLimitingConfigTests(AdminPostgres postgres) : AdminTestBase(postgres)
{
    protected override AdminApiOptions Options => new() { Plugins = PluginCatalog.Bundled.ForAdminApi() };

    private async Task<JsonObject> RefusedConfigAsync(string config)
    {
        var reply = await RefusedAsync(400, () => Client.PostJsonAsync("/plugins", $$"""{"name": "rate-limiting", "config": {{config}} }"""));
        Assert.Equal("schema violation", reply.String("name"));
        return reply.Json["fields"]!["config"]!.AsObject();
    }

    [Fact]
    public async Task The_seed_sessions_form_creates_the_plugin_with_kongs_defaults()
    {
        var consumer = (await Client.PostFormAsync("/consumers/", ("username", "slow_user"))).Expect(201).Id;
        var service = (await Client.PostJsonAsync("/services", """{"name": "pytbak", "url": "http://pytbak-svc:5000"}""")).Expect(201).Id;
        var route = (await Client.PostJsonAsync("/routes", $$"""{"paths": ["/api/"], "service": {"id": "{{service}}"} }""")).Expect(201).Id;

        var reply = (await Client.PostFormAsync("/plugins/",
            ("name", "rate-limiting"), ("config.second", "4"), ("config.hour", "1200"), ("config.policy", "local"),
            ("consumer.id", consumer), ("route.id", route))).Expect(201);

        var config = reply.Json["config"]!;
        Assert.Equal(4, config["second"]!.GetValue<long>());
        Assert.Equal(1200, config["hour"]!.GetValue<long>());
        Assert.Null(config["minute"]);
        Assert.Equal("local", config["policy"]!.GetValue<string>());
        Assert.Equal("consumer", config["limit_by"]!.GetValue<string>());
        Assert.True(config["fault_tolerant"]!.GetValue<bool>());
        Assert.False(config["hide_client_headers"]!.GetValue<bool>());
        Assert.Equal(429, config["error_code"]!.GetValue<int>());
        Assert.Equal("API rate limit exceeded", config["error_message"]!.GetValue<string>());
        Assert.Equal(6379, config["redis"]!["port"]!.GetValue<int>());
        Assert.Equal(2000, config["redis"]!["timeout"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_config_without_any_window_is_refused()
    {
        var config = await RefusedConfigAsync("""{"policy": "local"}""");

        Assert.Equal("at least one of these fields must be non-empty: 'second', 'minute', 'hour', 'day', 'month', 'year'",
            config["@entity"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_longer_window_with_a_lower_limit_is_refused_on_its_field()
    {
        var config = await RefusedConfigAsync("""{"second": 10, "minute": 5}""");

        Assert.Equal("The limit for minute(5.0) cannot be lower than the limit for second(10.0)", config["minute"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_policy_is_refused_naming_the_choices()
    {
        var config = await RefusedConfigAsync("""{"second": 1, "policy": "memcached"}""");

        Assert.Equal("expected one of: local, cluster, redis", config["policy"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"second": 0}""", "second", "value must be greater than 0")]
    [InlineData("""{"hour": -3}""", "hour", "value must be greater than 0")]
    [InlineData("""{"minute": "ten"}""", "minute", "expected an integer")]
    [InlineData("""{"second": 1, "limit_by": "planet"}""", "limit_by", "expected one of: consumer, credential, ip, service, header, path")]
    [InlineData("""{"second": 1, "limit_by": "header"}""", "header_name", "required field missing: limit_by is 'header'")]
    [InlineData("""{"second": 1, "limit_by": "header", "header_name": "X Bad"}""", "header_name", "bad header name")]
    [InlineData("""{"second": 1, "limit_by": "path"}""", "path", "required field missing: limit_by is 'path'")]
    [InlineData("""{"second": 1, "limit_by": "path", "path": "reports"}""", "path", "should start with: /")]
    [InlineData("""{"second": 1, "error_code": 42}""", "error_code", "value should be between 100 and 599")]
    [InlineData("""{"second": 1, "windows": 3}""", "windows", "unknown field")]
    public async Task Bad_fields_are_refused_with_400_naming_the_field(string body, string field, string message)
    {
        var config = await RefusedConfigAsync(body);

        Assert.Equal(message, config[field]!.GetValue<string>());
    }

    [Fact]
    public async Task Redis_settings_are_checked_inside_their_record()
    {
        var config = await RefusedConfigAsync("""{"second": 1, "policy": "redis", "redis": {"host": "redis.internal", "port": 70000, "username": "app"}}""");

        Assert.Equal("value should be between 0 and 65535", config["redis"]!["port"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_kong_redis_config_with_the_older_field_names_is_accepted()
    {
        var reply = (await Client.PostJsonAsync("/plugins", """
            {"name": "rate-limiting", "config": {"minute": 10, "policy": "redis", "redis_host": "redis.common.svc",
             "redis_port": 6379, "redis_password": null, "redis_timeout": 2000, "redis_database": 0, "fault_tolerant": true,
             "hide_client_headers": false, "limit_by": "consumer"}}
            """)).Expect(201);

        Assert.Equal("redis.common.svc", reply.Json["config"]!["redis_host"]!.GetValue<string>());
    }
}
