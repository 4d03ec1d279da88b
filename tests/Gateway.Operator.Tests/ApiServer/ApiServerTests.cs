using System.Net;
using System.Text.Json.Nodes;
using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Manifests;

namespace Gateway.Operator.Tests.ApiServer;

/// <summary>The in-memory API server behaves as a real one where the operator depends on it.</summary>
public sealed class ApiServerTests : ServerTest
{
    const string Gateways = "/apis/tollgate.dev/v1alpha1/namespaces/default/apigateways";
    const string Secrets = "/api/v1/namespaces/default/secrets";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Server.Create("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, ObjectJson.ToNode(CrdGenerator.For<ApiGateway>()));
    }

    static JsonObject Gateway(string name, int replicas = 2) => new()
    {
        ["apiVersion"] = "tollgate.dev/v1alpha1",
        ["kind"] = "ApiGateway",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["team"] = "a" } },
        ["spec"] = new JsonObject { ["proxy"] = new JsonObject { ["replicas"] = replicas } },
    };

    static string Version(JsonObject obj) => (string)obj["metadata"]!["resourceVersion"]!;
    static long Generation(JsonObject obj) => (long)obj["metadata"]!["generation"]!;

    [Fact]
    public async Task Every_write_gets_a_new_resource_version_and_only_spec_changes_bump_generation()
    {
        var created = await Api.OkAsync(HttpMethod.Post, Gateways, Gateway("a"));
        Assert.Equal(1, Generation(created));

        var labelled = created.DeepClone().AsObject();
        labelled["metadata"]!["labels"]!["tier"] = "gold";
        var afterLabel = await Api.OkAsync(HttpMethod.Put, $"{Gateways}/a", labelled);
        Assert.NotEqual(Version(created), Version(afterLabel));
        Assert.Equal(1, Generation(afterLabel));

        var status = afterLabel.DeepClone().AsObject();
        status["status"] = new JsonObject { ["observedGeneration"] = 1 };
        var afterStatus = await Api.OkAsync(HttpMethod.Put, $"{Gateways}/a/status", status);
        Assert.Equal(1, Generation(afterStatus));
        Assert.Equal(1, (int)afterStatus["status"]!["observedGeneration"]!);

        var scaled = await Api.OkAsync(HttpMethod.Patch, $"{Gateways}/a", new JsonObject { ["spec"] = new JsonObject { ["proxy"] = new JsonObject { ["replicas"] = 5 } } }, "application/merge-patch+json");
        Assert.Equal(2, Generation(scaled));
        Assert.Equal(1, (int)scaled["status"]!["observedGeneration"]!);
    }

    [Fact]
    public async Task The_main_resource_ignores_status_and_the_status_subresource_ignores_spec()
    {
        var created = await Api.OkAsync(HttpMethod.Post, Gateways, Gateway("a"));
        var sneaky = created.DeepClone().AsObject();
        sneaky["status"] = new JsonObject { ["endpoint"] = "x" };
        var updated = await Api.OkAsync(HttpMethod.Put, $"{Gateways}/a", sneaky);
        Assert.Null(updated["status"]);

        var both = updated.DeepClone().AsObject();
        both["spec"]!["proxy"]!["replicas"] = 9;
        both["status"] = new JsonObject { ["endpoint"] = "y" };
        var afterStatus = await Api.OkAsync(HttpMethod.Put, $"{Gateways}/a/status", both);
        Assert.Equal(2, (int)afterStatus["spec"]!["proxy"]!["replicas"]!);
        Assert.Equal("y", (string?)afterStatus["status"]!["endpoint"]);
    }

    [Fact]
    public async Task A_stale_resource_version_is_a_conflict_and_errors_are_status_bodies()
    {
        var created = await Api.OkAsync(HttpMethod.Post, Gateways, Gateway("a"));
        await Api.OkAsync(HttpMethod.Patch, $"{Gateways}/a", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["x"] = "1" } } }, "application/merge-patch+json");

        var (code, body) = await Api.SendAsync(HttpMethod.Put, $"{Gateways}/a", created);
        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Conflict", (string?)body["reason"]);
        Assert.Contains("the object has been modified", (string?)body["message"]);

        (code, body) = await Api.SendAsync(HttpMethod.Get, $"{Gateways}/missing");
        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("Status", (string?)body["kind"]);
        Assert.Equal("apigateways.tollgate.dev \"missing\" not found", (string?)body["message"]);

        (code, body) = await Api.SendAsync(HttpMethod.Post, Gateways, Gateway("a"));
        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("AlreadyExists", (string?)body["reason"]);

        (code, body) = await Api.SendAsync(HttpMethod.Post, Gateways, Gateway("b", replicas: -1));
        Assert.Equal((HttpStatusCode)422, code);
        Assert.Equal("Invalid", (string?)body["reason"]);
        Assert.Contains("spec.proxy.replicas", (string?)body["message"]);
    }

    [Fact]
    public async Task Deleting_an_object_with_finalizers_marks_it_until_the_last_one_is_removed()
    {
        var gateway = Gateway("a");
        gateway["metadata"]!["finalizers"] = new JsonArray("tollgate.dev/cleanup");
        await Api.OkAsync(HttpMethod.Post, Gateways, gateway);

        var marked = await Api.OkAsync(HttpMethod.Delete, $"{Gateways}/a");
        Assert.NotNull(marked["metadata"]!["deletionTimestamp"]);
        Assert.NotNull(Server.TryGet("tollgate.dev/v1alpha1", "ApiGateway", "default", "a"));

        await Api.OkAsync(HttpMethod.Patch, $"{Gateways}/a", new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } }, "application/merge-patch+json");
        Assert.Null(Server.TryGet("tollgate.dev/v1alpha1", "ApiGateway", "default", "a"));
    }

    [Fact]
    public async Task Owned_objects_are_garbage_collected_with_their_owner()
    {
        var owner = await Api.OkAsync(HttpMethod.Post, Gateways, Gateway("a"));
        var ownerRef = new JsonObject
        {
            ["apiVersion"] = "tollgate.dev/v1alpha1", ["kind"] = "ApiGateway", ["name"] = "a",
            ["uid"] = owner["metadata"]!["uid"]!.DeepClone(), ["controller"] = true,
        };
        await Api.OkAsync(HttpMethod.Post, Secrets, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "owned", ["ownerReferences"] = new JsonArray(ownerRef) },
            ["stringData"] = new JsonObject { ["k"] = "v" },
        });
        await Api.OkAsync(HttpMethod.Post, Secrets, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "unrelated" } });

        await Api.OkAsync(HttpMethod.Delete, $"{Gateways}/a");

        Assert.Null(Server.TryGet("v1", "Secret", "default", "owned"));
        Assert.NotNull(Server.TryGet("v1", "Secret", "default", "unrelated"));
    }

    [Fact]
    public async Task An_object_created_for_an_owner_that_is_gone_is_garbage_collected()
    {
        var owner = await Api.OkAsync(HttpMethod.Post, Gateways, Gateway("a"));
        var ownerRef = new JsonObject
        {
            ["apiVersion"] = "tollgate.dev/v1alpha1", ["kind"] = "ApiGateway", ["name"] = "a",
            ["uid"] = owner["metadata"]!["uid"]!.DeepClone(), ["controller"] = true,
        };
        await Api.OkAsync(HttpMethod.Delete, $"{Gateways}/a");

        await Api.OkAsync(HttpMethod.Post, Secrets, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "late", ["ownerReferences"] = new JsonArray(ownerRef) },
        });

        Assert.Null(Server.TryGet("v1", "Secret", "default", "late"));
    }

    [Fact]
    public async Task Lists_filter_by_label_selector()
    {
        await Api.OkAsync(HttpMethod.Post, Gateways, Gateway("a"));
        var other = Gateway("b");
        other["metadata"]!["labels"]!["team"] = "b";
        await Api.OkAsync(HttpMethod.Post, Gateways, other);

        static IEnumerable<string> Names(JsonObject list) => list["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!);
        Assert.Equal(["a"], Names(await Api.OkAsync(HttpMethod.Get, $"{Gateways}?labelSelector=team%3Da")));
        Assert.Equal(["b"], Names(await Api.OkAsync(HttpMethod.Get, $"{Gateways}?labelSelector=team%20notin%20(a)")));
        Assert.Equal(["a", "b"], Names(await Api.OkAsync(HttpMethod.Get, $"{Gateways}?labelSelector=team")));
        Assert.Empty(Names(await Api.OkAsync(HttpMethod.Get, $"{Gateways}?labelSelector=!team")));
    }

    [Fact]
    public async Task A_watch_streams_changes_after_its_resource_version_with_bookmarks()
    {
        Server.BookmarkInterval = TimeSpan.FromMilliseconds(100);
        var list = await Api.OkAsync(HttpMethod.Get, Gateways);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<JsonObject>();
        var watching = Task.Run(async () =>
        {
            await foreach (var change in Api.WatchAsync($"{Gateways}?watch=true&allowWatchBookmarks=true&resourceVersion={list["metadata"]!["resourceVersion"]}", cancel.Token))
            {
                lock (events) events.Add(change);
                if ((string?)change["type"] == "DELETED")
                    return;
            }
        }, cancel.Token);

        await Api.OkAsync(HttpMethod.Post, Gateways, Gateway("a"));
        await Task.Delay(300);
        await Api.OkAsync(HttpMethod.Delete, $"{Gateways}/a");
        await watching;

        var types = events.Select(e => (string)e["type"]!).ToList();
        Assert.Equal(["ADDED", "DELETED"], types.Where(t => t != "BOOKMARK"));
        Assert.Contains("BOOKMARK", types);
        var bookmark = events.First(e => (string?)e["type"] == "BOOKMARK");
        Assert.True(long.Parse(Version((JsonObject)bookmark["object"]!)) > long.Parse((string)list["metadata"]!["resourceVersion"]!));
    }

    [Fact]
    public async Task A_watch_from_a_compacted_resource_version_gets_410_gone()
    {
        var created = await Api.OkAsync(HttpMethod.Post, Gateways, Gateway("a"));
        await Api.OkAsync(HttpMethod.Post, Gateways, Gateway("b"));
        Server.Store.CompactHistory();

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var first = await Api.WatchAsync($"{Gateways}?watch=true&resourceVersion={Version(created)}", cancel.Token).FirstAsync(cancel.Token);

        Assert.Equal("ERROR", (string?)first["type"]);
        Assert.Equal(410, (int)first["object"]!["code"]!);
        Assert.Equal("Expired", (string?)first["object"]!["reason"]);
    }

    [Fact]
    public async Task Network_policies_are_served_with_the_defaults_a_real_server_fills_in()
    {
        const string Policies = "/apis/networking.k8s.io/v1/namespaces/default/networkpolicies";
        var created = await Api.OkAsync(HttpMethod.Post, Policies, new JsonObject
        {
            ["apiVersion"] = "networking.k8s.io/v1",
            ["kind"] = "NetworkPolicy",
            ["metadata"] = new JsonObject { ["name"] = "db" },
            ["spec"] = new JsonObject
            {
                ["podSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "db" } },
                ["ingress"] = new JsonArray(new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = 5432 }) }),
            },
        });

        Assert.Equal(["Ingress"], created["spec"]!["policyTypes"]!.AsArray().Select(t => (string?)t));
        Assert.Equal("TCP", (string?)created["spec"]!["ingress"]![0]!["ports"]![0]!["protocol"]);
        var discovery = await Api.OkAsync(HttpMethod.Get, "/apis/networking.k8s.io/v1");
        Assert.Contains(discovery["resources"]!.AsArray(), r => (string?)r!["name"] == "networkpolicies" && (bool)r["namespaced"]!);
        var list = await Api.OkAsync(HttpMethod.Get, Policies);
        Assert.Equal("db", (string?)Assert.Single(list["items"]!.AsArray())!["metadata"]!["name"]);
    }

    [Fact]
    public async Task Namespaces_carry_their_name_as_a_label_for_selectors()
    {
        var ns = await Api.OkAsync(HttpMethod.Get, "/api/v1/namespaces/default");
        Assert.Equal("default", (string?)ns["metadata"]!["labels"]!["kubernetes.io/metadata.name"]);
    }

    [Fact]
    public async Task Every_request_is_recorded_as_the_authorization_check_it_needs()
    {
        var gateway = await Api.OkAsync(HttpMethod.Post, Gateways, Gateway("owner"));
        await Api.OkAsync(HttpMethod.Get, $"{Gateways}/owner");
        await Api.OkAsync(HttpMethod.Get, Secrets);
        await Api.SendAsync(HttpMethod.Delete, $"{Secrets}/missing");
        await Api.OkAsync(HttpMethod.Put, $"{Gateways}/owner/status", gateway);
        JsonObject Owned(string name, bool block) => new()
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "tollgate.dev/v1alpha1", ["kind"] = "ApiGateway", ["name"] = "owner",
                    ["uid"] = (string?)gateway["metadata"]!["uid"], ["blockOwnerDeletion"] = block,
                }),
            },
        };
        await Api.OkAsync(HttpMethod.Post, Secrets, Owned("blocking", block: true));
        await Api.OkAsync(HttpMethod.Post, Secrets, Owned("free", block: false));
        // Patching an object whose owner reference already blocks deletion adds nothing to check; changing an
        // object's owner references needs delete on it, and a newly blocking one update on the owner's finalizers.
        await Api.OkAsync(HttpMethod.Patch, $"{Secrets}/blocking", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["a"] = "b" } } }, "application/merge-patch+json");
        await Api.OkAsync(HttpMethod.Patch, $"{Secrets}/free", Owned("free", block: true), "application/merge-patch+json");

        Assert.Equal(
        [
            ("create", "tollgate.dev", "apigateways"), ("get", "tollgate.dev", "apigateways"), ("list", "", "secrets"), ("delete", "", "secrets"),
            ("update", "tollgate.dev", "apigateways/status"),
            ("create", "", "secrets"), ("update", "tollgate.dev", "apigateways/finalizers"), ("create", "", "secrets"),
            ("patch", "", "secrets"), ("patch", "", "secrets"), ("delete", "", "secrets"), ("update", "tollgate.dev", "apigateways/finalizers"),
        ], Server.Accesses.Select(a => (a.Verb, a.Group, a.Resource)));
        Assert.All(Server.Accesses, a => Assert.Equal("default", a.Namespace));
    }
}
