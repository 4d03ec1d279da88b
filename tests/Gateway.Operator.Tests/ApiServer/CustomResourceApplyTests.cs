using System.Net;
using System.Text.Json.Nodes;

namespace Gateway.Operator.Tests.ApiServer;

/// <summary>Server-side apply on a custom resource follows the list and map types its CRD declares.</summary>
public sealed class CustomResourceApplyTests : ServerTest
{
    const string Widgets = "/apis/example.com/v1/namespaces/default/widgets";

    /// <summary>A CRD whose spec has a keyed list, a set, an atomic list, an atomic map and a quantity-like string.</summary>
    static JsonObject WidgetDefinition() => JsonNode.Parse("""
        {
          "apiVersion": "apiextensions.k8s.io/v1",
          "kind": "CustomResourceDefinition",
          "metadata": { "name": "widgets.example.com" },
          "spec": {
            "group": "example.com",
            "scope": "Namespaced",
            "names": { "plural": "widgets", "singular": "widget", "kind": "Widget" },
            "versions": [{
              "name": "v1", "served": true, "storage": true,
              "subresources": { "status": {} },
              "schema": { "openAPIV3Schema": {
                "type": "object",
                "properties": {
                  "spec": {
                    "type": "object",
                    "properties": {
                      "size": { "type": "string" },
                      "ports": {
                        "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["port", "protocol"],
                        "items": { "type": "object", "properties": {
                          "port": { "type": "integer" }, "protocol": { "type": "string", "default": "TCP" }, "name": { "type": "string" } } }
                      },
                      "tags": { "type": "array", "x-kubernetes-list-type": "set", "items": { "type": "string" } },
                      "args": { "type": "array", "items": { "type": "string" } },
                      "selector": { "type": "object", "x-kubernetes-map-type": "atomic", "additionalProperties": { "type": "string" } }
                    }
                  },
                  "status": { "type": "object", "properties": { "phase": { "type": "string" } } }
                }
              } }
            }]
          }
        }
        """)!.AsObject();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Server.Create("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, WidgetDefinition());
    }

    static JsonObject Widget(JsonObject spec) => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = "w" },
        ["spec"] = spec,
    };

    async Task<(HttpStatusCode Code, JsonObject Body)> ApplyAsync(JsonObject spec, string manager) =>
        await Api.SendAsync(HttpMethod.Patch, $"{Widgets}/w?fieldManager={manager}", Widget(spec), RawApi.Apply);

    async Task<JsonObject> AppliedAsync(JsonObject spec, string manager)
    {
        var (code, body) = await ApplyAsync(spec, manager);
        Assert.True(code is HttpStatusCode.OK or HttpStatusCode.Created, $"apply → {(int)code}: {body.ToJsonString()}");
        return body;
    }

    static JsonArray Ports(params int[] ports) => new(ports.Select(p => (JsonNode)new JsonObject { ["port"] = p }).ToArray());

    [Fact]
    public async Task A_keyed_list_from_the_schema_merges_by_its_keys_with_their_defaults()
    {
        await AppliedAsync(new JsonObject { ["ports"] = Ports(80) }, "a");
        var both = await AppliedAsync(new JsonObject { ["ports"] = Ports(443) }, "b");

        Assert.Equal([80, 443], both["spec"]!["ports"]!.AsArray().Select(p => (int)p!["port"]!));
        var entry = both["metadata"]!["managedFields"]!.AsArray().Single(e => (string?)e!["manager"] == "b")!;
        Assert.Equal("""{"f:spec":{"f:ports":{"k:{\"port\":443,\"protocol\":\"TCP\"}":{".":{},"f:port":{}}}}}""",
            entry["fieldsV1"]!.ToJsonString(KubeApiServer.WireJson.Options));

        var withoutPorts = await AppliedAsync(new JsonObject(), "a");
        Assert.Equal([443], withoutPorts["spec"]!["ports"]!.AsArray().Select(p => (int)p!["port"]!));
    }

    [Fact]
    public async Task A_set_merges_by_value_and_an_atomic_list_is_owned_whole()
    {
        await AppliedAsync(new JsonObject { ["tags"] = new JsonArray("x"), ["args"] = new JsonArray("--a") }, "a");
        var merged = await AppliedAsync(new JsonObject { ["tags"] = new JsonArray("y") }, "b");
        Assert.Equal(["x", "y"], merged["spec"]!["tags"]!.AsArray().Select(t => (string?)t));

        var (code, status) = await ApplyAsync(new JsonObject { ["args"] = new JsonArray("--a", "--b") }, "b");
        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"a\": .spec.args", (string?)status["message"]);

        (code, status) = await ApplyAsync(new JsonObject { ["selector"] = new JsonObject { ["app"] = "w" } }, "a");
        Assert.True(code == HttpStatusCode.OK, status.ToJsonString());
        (code, status) = await ApplyAsync(new JsonObject { ["selector"] = new JsonObject { ["app"] = "w", ["tier"] = "x" } }, "b");
        Assert.Equal("Apply failed with 1 conflict: conflict with \"a\": .spec.selector", (string?)status["message"]);
    }

    [Fact]
    public async Task Fields_of_custom_resources_are_stored_as_written()
    {
        var created = await AppliedAsync(new JsonObject { ["size"] = "1024Mi" }, "a");

        Assert.Equal("1024Mi", (string?)created["spec"]!["size"]);
    }

    [Fact]
    public async Task A_field_the_schema_does_not_declare_fails_the_apply()
    {
        var (code, status) = await ApplyAsync(new JsonObject { ["colour"] = "red" }, "a");

        Assert.Equal(HttpStatusCode.InternalServerError, code);
        Assert.Equal("failed to create typed patch object (default/w; example.com/v1, Kind=Widget): .spec.colour: field not declared in schema", (string?)status["message"]);
    }
}
