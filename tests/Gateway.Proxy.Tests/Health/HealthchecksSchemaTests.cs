using System.Text.Json.Nodes;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Tests.Health;

public class HealthchecksSchemaTests
{
    private static ValidationResult Validate(string healthchecks) =>
        EntityValidation.Validate(EntityCatalog.Upstreams,
            JsonNode.Parse($$"""{{{Stored}}, "name": "pool", "healthchecks": {{healthchecks}}}""")!.AsObject());

    // What the store adds to every entity.
    private static string Stored => $$"""
        "id": "{{Guid.NewGuid()}}", "created_at": 1700000000, "updated_at": 1700000000
        """;

    private static JsonObject Errors(string healthchecks)
    {
        var result = Validate(healthchecks);
        Assert.False(result.IsValid);
        return result.Errors!.ToJson();
    }

    [Fact]
    public void An_upstream_gets_Kongs_defaults_which_check_nothing()
    {
        var upstream = (Upstream)EntityValidation.Validate(EntityCatalog.Upstreams,
            JsonNode.Parse($$"""{{{Stored}}, "name": "pool"}""")!.AsObject()).Entity!;
        var json = EntityJson.ToObject(upstream)["healthchecks"]!;

        Assert.False(upstream.Healthchecks.Enabled);
        Assert.Equal("http", (string)json["active"]!["type"]!);
        Assert.Equal(1, (double)json["active"]!["timeout"]!);
        Assert.Equal(10, (int)json["active"]!["concurrency"]!);
        Assert.Equal("/", (string)json["active"]!["http_path"]!);
        Assert.True((bool)json["active"]!["https_verify_certificate"]!);
        Assert.Null(json["active"]!["https_sni"]);
        Assert.Null(json["active"]!["headers"]);
        Assert.Equal("[200,302]", json["active"]!["healthy"]!["http_statuses"]!.ToJsonString());
        Assert.Equal("[429,404,500,501,502,503,504,505]", json["active"]!["unhealthy"]!["http_statuses"]!.ToJsonString());
        Assert.Equal(0, (double)json["active"]!["healthy"]!["interval"]!);
        Assert.Equal(0, (int)json["active"]!["unhealthy"]!["tcp_failures"]!);
        Assert.Equal("[200,201,202,203,204,205,206,207,208,226,300,301,302,303,304,305,306,307,308]",
            json["passive"]!["healthy"]!["http_statuses"]!.ToJsonString());
        Assert.Equal("[429,500,503]", json["passive"]!["unhealthy"]!["http_statuses"]!.ToJsonString());
        Assert.Equal(0, (int)json["passive"]!["unhealthy"]!["timeouts"]!);
        Assert.Equal(0, (double)json["threshold"]!);
    }

    [Fact]
    public void A_partial_record_is_completed_with_the_defaults()
    {
        var upstream = (Upstream)Validate("""{"passive": {"unhealthy": {"timeouts": 2}}}""").Entity!;

        Assert.Equal(2, upstream.Healthchecks.Passive.Unhealthy.Timeouts);
        Assert.Equal([429, 500, 503], upstream.Healthchecks.Passive.Unhealthy.HttpStatuses);
        Assert.Equal(10, upstream.Healthchecks.Active.Concurrency);
        Assert.True(upstream.Healthchecks.Enabled);
    }

    [Theory]
    [InlineData("""{"active": {"healthy": {"interval": 5}}}""", true)]
    [InlineData("""{"active": {"unhealthy": {"interval": 0.5}}}""", true)]
    [InlineData("""{"passive": {"unhealthy": {"tcp_failures": 1}}}""", true)]
    [InlineData("""{"passive": {"unhealthy": {"http_failures": 1}}}""", true)]
    [InlineData("""{"passive": {"healthy": {"successes": 3}}}""", false)]
    [InlineData("""{"active": {"healthy": {"successes": 3}}, "threshold": 50}""", false)]
    public void Checks_are_on_when_an_interval_or_a_passive_failure_counter_is_set(string healthchecks, bool enabled)
    {
        Assert.Equal(enabled, ((Upstream)Validate(healthchecks).Entity!).Healthchecks.Enabled);
    }

    [Theory]
    [InlineData("""{"active": {"type": "udp"}}""", "active", "type", "expected one of: http, https, tcp")]
    [InlineData("""{"active": {"concurrency": 0}}""", "active", "concurrency", "value should be between 1 and 2147483647")]
    [InlineData("""{"active": {"timeout": -1}}""", "active", "timeout", "value should be between 0 and 65535")]
    [InlineData("""{"active": {"http_path": "health"}}""", "active", "http_path", "should start with: /")]
    [InlineData("""{"active": {"http_path": "/a b"}}""", "active", "http_path", "must not contain spaces, control characters, '?' or '#'")]
    [InlineData("""{"active": {"https_sni": "*.*"}}""", "active", "https_sni", "wildcard must be leftmost character")]
    [InlineData("""{"passive": {"unhealthy": {"timeouts": 256}}}""", "passive", "unhealthy", null)]
    [InlineData("""{"passive": {"type": "udp"}}""", "passive", "type", "expected one of: http, https, tcp")]
    public void A_bad_value_is_refused_naming_its_field(string healthchecks, string record, string field, string? message)
    {
        var errors = Errors(healthchecks)["healthchecks"]![record]!;

        Assert.NotNull(errors[field]);
        if (message is not null) Assert.Equal(message, (string)errors[field]!);
    }

    [Fact]
    public void Nested_counters_and_status_lists_are_named_to_the_leaf()
    {
        var errors = Errors("""{"active": {"healthy": {"http_statuses": [200, 99]}, "unhealthy": {"tcp_failures": -1}}}""");

        Assert.Equal("""["value should be between 100 and 999"]""", errors["healthchecks"]!["active"]!["healthy"]!["http_statuses"]!.ToJsonString());
        Assert.Equal("value should be between 0 and 255", (string)errors["healthchecks"]!["active"]!["unhealthy"]!["tcp_failures"]!);
    }

    [Fact]
    public void The_threshold_is_a_percentage()
    {
        Assert.Equal("value should be between 0 and 100", (string)Errors("""{"threshold": 101}""")["healthchecks"]!["threshold"]!);
    }

    [Fact]
    public void Unknown_fields_and_nulled_records_are_refused()
    {
        Assert.Equal("unknown field", (string)Errors("""{"active": {"intervall": 1}}""")["healthchecks"]!["active"]!["intervall"]!);
        Assert.Equal("required field missing", (string)Errors("""{"passive": null}""")["healthchecks"]!["passive"]!);
    }

    [Fact]
    public void Probe_headers_must_be_header_names_and_values_without_line_breaks()
    {
        Assert.Equal("invalid header name 'bad name'",
            (string)Errors("""{"active": {"headers": {"bad name": ["x"]}}}""")["healthchecks"]!["active"]!["headers"]!);
        Assert.NotNull(Errors("""{"active": {"headers": {"X-Probe": ["a\r\nInjected: yes"]}}}""")["healthchecks"]!["active"]!["headers"]!["X-Probe"]);
        Assert.True(Validate("""{"active": {"headers": {"X-Probe": ["gateway", "health"]}}}""").IsValid);
    }
}
