using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.Admin.Config;
using Gateway.Proxy.Declarative;
using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Tests.Admin;

public class LoadedBodyTests
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void The_body_holds_every_entity_as_the_entity_endpoints_write_it_keyed_by_kind_and_id()
    {
        var result = DeclarativeParser.Parse("""
            _format_version: "3.0"
            services:
            - name: cafe
              url: https://backend.internal:8443/v1
              tags: ["é+<>&'\"", "\u2028"]
              routes:
              - name: r
                paths: [/a]
                headers: {x-version: ["1", "2"]}
                plugins:
                - name: rate-limiting
                  config: {second: 4, policy: local, nested: {b: [1.5, null, true], a: "x"}}
            upstreams:
            - name: u
              healthchecks: {threshold: 12.5, active: {healthy: {interval: 5}}}
              targets:
              - target: 10.0.0.1:8080
            consumers:
            - username: someone
              keyauth_credentials:
              - key: secret
            """, now: 100);
        Assert.True(result.IsValid, result.Describe());
        var config = result.Config!;

        // Built node by node from each entity's own JSON, as every other Admin API answer is.
        var expected = new JsonObject();
        foreach (var kind in EntityCatalog.All)
        {
            if (config.Of(kind).Count == 0) continue;
            var byId = new JsonObject();
            foreach (var entity in config.Of(kind)) byId[entity.Id.ToString()] = EntityJson.ToObject(entity);
            expected[kind.Name] = byId;
        }

        var body = LoadedBody.For(config);
        Assert.Equal(expected.ToJsonString(Relaxed), body.ToJsonString(Relaxed));
        Assert.Equal(["services", "routes", "upstreams", "targets", "consumers", "plugins", "keyauth_credentials"], body.Select(p => p.Key));
    }
}
