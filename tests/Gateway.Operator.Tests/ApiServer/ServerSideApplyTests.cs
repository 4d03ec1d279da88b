using System.Net;
using System.Text.Json.Nodes;

namespace Gateway.Operator.Tests.ApiServer;

/// <summary>Server-side apply with field ownership, as a client sees it over HTTP.</summary>
public sealed class ServerSideApplyTests : ServerTest
{
    const string Deployments = "/apis/apps/v1/namespaces/default/deployments";

    protected override string UserAgent => "example-controller/1.2 (linux)";

    static JsonObject Deployment(int replicas = 2, JsonObject? annotations = null, string image = "nginx:1.27") => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = "web", ["labels"] = new JsonObject { ["app"] = "web" }, ["annotations"] = annotations ?? new JsonObject { ["a"] = "1" } },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "web", ["image"] = image,
                        ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 80 }),
                    }),
                },
            },
        },
    };

    Task<(HttpStatusCode Code, JsonObject Body)> ApplyAsync(JsonObject config, string manager = "operator", bool force = false, string path = Deployments + "/web") =>
        Api.SendAsync(HttpMethod.Patch, $"{path}?fieldManager={manager}{(force ? "&force=true" : "")}", config, RawApi.Apply);

    async Task<JsonObject> AppliedAsync(JsonObject config, string manager = "operator", bool force = false, string path = Deployments + "/web")
    {
        var (code, body) = await ApplyAsync(config, manager, force, path);
        Assert.True(code is HttpStatusCode.OK or HttpStatusCode.Created, $"apply → {(int)code}: {body.ToJsonString()}");
        return body;
    }

    static JsonObject Entry(JsonObject obj, string manager, string operation = "Apply") =>
        obj["metadata"]!["managedFields"]!.AsArray().Select(e => e!.AsObject())
            .Single(e => (string?)e["manager"] == manager && (string?)e["operation"] == operation);

    static string Version(JsonObject obj) => (string)obj["metadata"]!["resourceVersion"]!;

    [Fact]
    public async Task An_apply_creates_the_object_and_records_the_fields_it_set()
    {
        var (code, created) = await ApplyAsync(Deployment());

        Assert.Equal(HttpStatusCode.Created, code);
        var entry = Entry(created, "operator");
        Assert.Equal(["manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1"], entry.Select(p => p.Key));
        Assert.Equal("apps/v1", (string?)entry["apiVersion"]);
        Assert.Equal("FieldsV1", (string?)entry["fieldsType"]);
        Assert.Equal(
            """{"f:metadata":{"f:annotations":{"f:a":{}},"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}}""",
            entry["fieldsV1"]!.ToJsonString(KubeApiServer.WireJson.Options));
        // Defaults are filled in, and nobody owns them.
        Assert.Equal("RollingUpdate", (string?)created["spec"]!["strategy"]!["type"]);
        Assert.Single(created["metadata"]!["managedFields"]!.AsArray());
    }

    [Fact]
    public async Task A_field_the_applier_stops_setting_is_removed_unless_someone_else_owns_it()
    {
        await AppliedAsync(Deployment(annotations: new JsonObject { ["a"] = "1", ["b"] = "2" }));
        Server.Patch("apps/v1", "Deployment", "default", "web", new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["c"] = "3" } } });
        await AppliedAsync(Deployment(annotations: new JsonObject { ["a"] = "1", ["b"] = "2", ["d"] = "4" }), manager: "other");

        var applied = await AppliedAsync(Deployment(annotations: new JsonObject { ["a"] = "1" }));

        var annotations = applied["metadata"]!["annotations"]!.AsObject();
        Assert.Equal(["a", "b", "c", "d"], annotations.Select(p => p.Key).Order());
        await AppliedAsync(Deployment(annotations: new JsonObject { ["a"] = "1" }), manager: "other");
        var afterOther = Server.Get("apps/v1", "Deployment", "default", "web");
        Assert.Equal(["a", "c"], afterOther["metadata"]!["annotations"]!.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public async Task Removing_the_last_annotation_removes_the_annotations()
    {
        await AppliedAsync(Deployment(annotations: new JsonObject { ["a"] = "1" }));
        var config = Deployment();
        config["metadata"]!.AsObject().Remove("annotations");

        var applied = await AppliedAsync(config);

        Assert.Null(applied["metadata"]!["annotations"]);
        Assert.Null(Entry(applied, "operator")["fieldsV1"]!["f:metadata"]!["f:annotations"]);
    }

    [Fact]
    public async Task Applying_a_different_value_to_a_field_another_manager_owns_conflicts_and_force_takes_it()
    {
        await AppliedAsync(Deployment(replicas: 2));
        await Api.OkAsync(HttpMethod.Patch, $"{Deployments}/web?fieldManager=kubectl", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 5 } }, RawApi.MergePatch);

        var (code, status) = await ApplyAsync(Deployment(replicas: 2));

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl\" using apps/v1: .spec.replicas", (string?)status["message"]);
        var cause = Assert.Single(status["details"]!["causes"]!.AsArray())!;
        Assert.Equal("FieldManagerConflict", (string?)cause["reason"]);
        Assert.Equal("conflict with \"kubectl\" using apps/v1", (string?)cause["message"]);
        Assert.Equal(".spec.replicas", (string?)cause["field"]);
        Assert.Equal(5, (int)Server.Get("apps/v1", "Deployment", "default", "web")["spec"]!["replicas"]!);

        var forced = await AppliedAsync(Deployment(replicas: 2), force: true);
        Assert.Equal(2, (int)forced["spec"]!["replicas"]!);
        Assert.DoesNotContain(forced["metadata"]!["managedFields"]!.AsArray(), e => (string?)e!["manager"] == "kubectl");
        Assert.NotNull(Entry(forced, "operator")["fieldsV1"]!["f:spec"]!["f:replicas"]);
    }

    [Fact]
    public async Task Several_conflicts_are_listed_by_manager()
    {
        await AppliedAsync(Deployment());
        await Api.OkAsync(HttpMethod.Patch, $"{Deployments}/web?fieldManager=kubectl", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 5 } }, RawApi.MergePatch);
        await AppliedAsync(new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "web", ["labels"] = new JsonObject { ["app"] = "web", ["tier"] = "front" } },
        }, manager: "labeller");

        var config = Deployment(replicas: 3);
        config["metadata"]!["labels"]!["tier"] = "back";
        var (code, status) = await ApplyAsync(config);

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Apply failed with 2 conflicts: conflicts with \"kubectl\" using apps/v1:\n- .spec.replicas\nconflicts with \"labeller\":\n- .metadata.labels.tier", (string?)status["message"]);
    }

    [Fact]
    public async Task Applying_the_value_another_manager_set_shares_the_field()
    {
        await AppliedAsync(Deployment(replicas: 2));
        await AppliedAsync(Deployment(replicas: 2), manager: "second");

        var current = Server.Get("apps/v1", "Deployment", "default", "web");
        Assert.NotNull(Entry(current, "operator")["fieldsV1"]!["f:spec"]!["f:replicas"]);
        Assert.NotNull(Entry(current, "second")["fieldsV1"]!["f:spec"]!["f:replicas"]);

        // The field survives when one of them stops applying it.
        var withoutReplicas = Deployment();
        withoutReplicas["spec"]!.AsObject().Remove("replicas");
        await AppliedAsync(withoutReplicas, manager: "second");
        Assert.Equal(2, (int)Server.Get("apps/v1", "Deployment", "default", "web")["spec"]!["replicas"]!);
    }

    [Fact]
    public async Task Other_writes_record_update_entries_and_take_the_fields_they_change()
    {
        await AppliedAsync(Deployment(replicas: 2));

        var patched = await Api.OkAsync(HttpMethod.Patch, $"{Deployments}/web", new JsonObject
        {
            ["spec"] = new JsonObject { ["replicas"] = 4 },
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["team"] = "a" } },
        }, RawApi.MergePatch);

        // No fieldManager: the manager is the User-Agent up to its first '/'.
        var update = Entry(patched, "example-controller", "Update");
        Assert.Equal("apps/v1", (string?)update["apiVersion"]);
        Assert.Equal("""{"f:metadata":{"f:labels":{"f:team":{}}},"f:spec":{"f:replicas":{}}}""", update["fieldsV1"]!.ToJsonString(KubeApiServer.WireJson.Options));
        Assert.Null(Entry(patched, "operator")["fieldsV1"]!["f:spec"]!["f:replicas"]);

        var replaced = patched.DeepClone().AsObject();
        replaced["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:1.28";
        var put = await Api.OkAsync(HttpMethod.Put, $"{Deployments}/web?fieldManager=editor", replaced);
        var imageOwner = Entry(put, "editor", "Update")["fieldsV1"]!["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"web\"}"]!;
        Assert.NotNull(imageOwner["f:image"]);
        Assert.Null(Entry(put, "operator")["fieldsV1"]!["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"web\"}"]!["f:image"]);
    }

    [Fact]
    public async Task A_created_object_is_owned_by_its_creator_including_the_defaults_it_was_decoded_with()
    {
        var config = Deployment();
        config.Remove("apiVersion");
        var created = await Api.OkAsync(HttpMethod.Post, $"{Deployments}?fieldManager=kubectl-create", config);

        var fields = Entry(created, "kubectl-create", "Update")["fieldsV1"]!;
        Assert.NotNull(fields["f:spec"]!["f:strategy"]!["f:type"]);
        Assert.NotNull(fields["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"web\"}"]!["f:terminationMessagePath"]);
        Assert.NotNull(fields["f:metadata"]!["f:labels"]!["."]);
    }

    [Fact]
    public async Task Keyed_lists_merge_by_key_and_keep_what_others_added()
    {
        await AppliedAsync(Deployment());
        var sidecar = Deployment();
        sidecar["spec"] = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "proxy", ["image"] = "envoy:1" }),
                },
            },
        };
        sidecar["metadata"] = new JsonObject { ["name"] = "web" };
        await AppliedAsync(sidecar, manager: "injector");

        var reapplied = await AppliedAsync(Deployment(image: "nginx:1.28"));

        var containers = reapplied["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["web", "proxy"], containers.Select(c => (string?)c!["name"]));
        Assert.Equal("nginx:1.28", (string?)containers[0]!["image"]);
        Assert.Equal("envoy:1", (string?)containers[1]!["image"]);
    }

    [Fact]
    public async Task Finalizers_are_a_set_each_manager_owns_its_own()
    {
        JsonObject WithFinalizer(string finalizer) => new()
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "c", ["finalizers"] = new JsonArray(finalizer) },
        };
        const string Path = "/api/v1/namespaces/default/configmaps/c";
        await AppliedAsync(WithFinalizer("a.example/x"), path: Path);
        var both = await AppliedAsync(WithFinalizer("b.example/y"), manager: "other", path: Path);
        Assert.Equal(["a.example/x", "b.example/y"], both["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f));
        Assert.NotNull(Entry(both, "other")["fieldsV1"]!["f:metadata"]!["f:finalizers"]!["v:\"b.example/y\""]);

        var config = WithFinalizer("a.example/x");
        config["metadata"]!.AsObject().Remove("finalizers");
        var after = await AppliedAsync(config, path: Path);
        Assert.Equal(["b.example/y"], after["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f));
    }

    [Fact]
    public async Task An_atomic_selector_conflicts_as_a_whole()
    {
        await AppliedAsync(Deployment());
        var config = Deployment();
        config["spec"]!["selector"]!["matchLabels"]!["extra"] = "x";

        var (code, status) = await ApplyAsync(config, manager: "other");

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"operator\": .spec.selector", (string?)status["message"]);
    }

    [Fact]
    public async Task Status_is_applied_through_the_status_subresource_only()
    {
        var config = Deployment();
        config["status"] = new JsonObject { ["replicas"] = 7 };
        var created = await AppliedAsync(config);
        Assert.Null(created["status"]);
        Assert.Null(Entry(created, "operator")["fieldsV1"]!["f:status"]);

        var status = await AppliedAsync(new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject { ["replicas"] = 9 },
            ["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Available", ["status"] = "True" }) },
        }, manager: "controller", path: Deployments + "/web/status");

        Assert.Equal(2, (int)status["spec"]!["replicas"]!);
        var entry = status["metadata"]!["managedFields"]!.AsArray().Single(e => (string?)e!["manager"] == "controller")!;
        Assert.Equal("status", (string?)entry["subresource"]);
        Assert.Equal("""{"f:status":{"f:conditions":{"k:{\"type\":\"Available\"}":{".":{},"f:status":{},"f:type":{}}}}}""", entry["fieldsV1"]!.ToJsonString(KubeApiServer.WireJson.Options));
    }

    [Fact]
    public async Task An_apply_that_changes_nothing_writes_nothing()
    {
        var first = await AppliedAsync(Deployment());
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<JsonObject>();
        var watching = Task.Run(async () =>
        {
            await foreach (var change in Api.WatchAsync($"{Deployments}?watch=true&resourceVersion={Version(first)}", cancel.Token))
            {
                lock (events) events.Add(change);
                if ((string?)change["object"]!["metadata"]!["name"] == "marker")
                    return;
            }
        }, cancel.Token);

        var second = await AppliedAsync(Deployment());
        var marker = Deployment();
        marker["metadata"]!["name"] = "marker";
        await AppliedAsync(marker, path: Deployments + "/marker");
        await watching;

        Assert.Equal(Version(first), Version(second));
        Assert.Equal((string?)Entry(first, "operator")["time"], (string?)Entry(second, "operator")["time"]);
        Assert.Equal(["marker"], events.Select(e => (string?)e["object"]!["metadata"]!["name"]));
    }

    [Fact]
    public async Task Applying_a_quantity_written_differently_but_equal_to_the_stored_one_writes_nothing()
    {
        var config = Deployment();
        config["spec"]!["template"]!["spec"]!["containers"]![0]!["resources"] = new JsonObject { ["limits"] = new JsonObject { ["memory"] = "1Gi" } };
        // The operator's entry as an apply of this configuration writes it, dated in the past, so that a new write would show.
        var probe = config.DeepClone().AsObject();
        probe["metadata"]!["name"] = "probe";
        var entry = Entry(await AppliedAsync(probe, path: Deployments + "/probe"), "operator");
        entry["time"] = "2020-01-01T00:00:00Z";
        var stored = config.DeepClone().AsObject();
        stored["metadata"]!["managedFields"] = new JsonArray(entry.DeepClone());
        var created = await Api.OkAsync(HttpMethod.Post, Deployments, stored);

        config["spec"]!["template"]!["spec"]!["containers"]![0]!["resources"]!["limits"]!["memory"] = "1024Mi";
        var applied = await AppliedAsync(config);

        Assert.Equal(Version(created), Version(applied));
        Assert.Equal("2020-01-01T00:00:00Z", (string?)Entry(applied, "operator")["time"]);
        Assert.Equal("1Gi", (string?)applied["spec"]!["template"]!["spec"]!["containers"]![0]!["resources"]!["limits"]!["memory"]);
    }

    [Fact]
    public async Task Apply_requires_a_field_manager_and_force_belongs_to_apply()
    {
        var (code, status) = await Api.SendAsync(HttpMethod.Patch, $"{Deployments}/web", Deployment(), RawApi.Apply);
        Assert.Equal((HttpStatusCode)422, code);
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch", (string?)status["message"]);

        await AppliedAsync(Deployment());
        (code, status) = await Api.SendAsync(HttpMethod.Patch, $"{Deployments}/web?force=true", new JsonObject(), RawApi.MergePatch);
        Assert.Equal((HttpStatusCode)422, code);
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch", (string?)status["message"]);
    }

    [Fact]
    public async Task An_applied_configuration_names_its_kind_and_its_object()
    {
        var noKind = Deployment();
        noKind.Remove("kind");
        var (code, status) = await ApplyAsync(noKind);
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.StartsWith("error decoding patch: Object 'Kind' is missing in", (string?)status["message"]);

        var otherKind = Deployment();
        otherKind["kind"] = "StatefulSet";
        (code, status) = await ApplyAsync(otherKind);
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("invalid object type: apps/v1, Kind=StatefulSet", (string?)status["message"]);

        var otherName = Deployment();
        otherName["metadata"]!["name"] = "api";
        (code, status) = await ApplyAsync(otherName);
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("the name of the object (api) does not match the name on the URL (web)", (string?)status["message"]);

        var withManagedFields = Deployment();
        withManagedFields["metadata"]!["managedFields"] = new JsonArray();
        (code, status) = await ApplyAsync(withManagedFields);
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("metadata.managedFields must be nil", (string?)status["message"]);

        (code, _) = await ApplyAsync(Deployment(), path: Deployments + "/web/status");
        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task An_applied_configuration_may_be_yaml()
    {
        var (code, created) = await Api.SendTextAsync(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/settings?fieldManager=operator", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              labels:
                enabled: "true"
            data:
              port: "8000"
              note: plain text
            """, RawApi.Apply);

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("true", (string?)created["metadata"]!["labels"]!["enabled"]);
        Assert.Equal("plain text", (string?)created["data"]!["note"]);
        Assert.Equal("""{"f:data":{"f:note":{},"f:port":{}},"f:metadata":{"f:labels":{"f:enabled":{}}}}""", Entry(created, "operator")["fieldsV1"]!.ToJsonString(KubeApiServer.WireJson.Options));
    }

    [Fact]
    public async Task Fields_of_an_object_nobody_tracked_belong_to_before_first_apply()
    {
        await AppliedAsync(Deployment(replicas: 2));
        var cleared = await Api.OkAsync(HttpMethod.Patch, $"{Deployments}/web", new JsonObject
        {
            ["metadata"] = new JsonObject { ["managedFields"] = new JsonArray(new JsonObject()) },
            ["spec"] = new JsonObject { ["replicas"] = 3 },
        }, RawApi.MergePatch);
        Assert.Null(cleared["metadata"]!["managedFields"]);

        var (code, status) = await ApplyAsync(Deployment(replicas: 2));

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"before-first-apply\" using apps/v1: .spec.replicas", (string?)status["message"]);
    }
}
