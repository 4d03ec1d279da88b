using System.Text.Json.Nodes;
using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Operator.Tests.Kubernetes;

/// <summary>The operator's client against the in-memory API server over HTTP.</summary>
public sealed class KubernetesClientTests : IAsyncLifetime
{
    TestCluster cluster = null!;
    KubernetesApi Client => cluster.Client;

    public async Task InitializeAsync() => cluster = await TestCluster.StartAsync();
    public async Task DisposeAsync() => await cluster.DisposeAsync();

    static ApiGateway NewGateway(string name, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new() { Name = name, NamespaceProperty = "default", Labels = labels },
        Spec = new() { Proxy = new() { Replicas = 3 } },
    };

    [Fact]
    public async Task Typed_objects_go_through_create_get_update_status_patch_and_delete()
    {
        var created = await Client.CreateAsync(NewGateway("a"));
        Assert.NotNull(created.Metadata.Uid);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal(3, created.Spec.Proxy.Replicas);
        Assert.Equal("ghcr.io/tollgate/gateway", created.Spec.Proxy.Image);

        created.Spec.Proxy.Replicas = 4;
        var updated = await Client.UpdateAsync(created);
        Assert.Equal(2, updated.Metadata.Generation);

        updated.Status = new() { ObservedGeneration = 2, Endpoint = "gw.example:80" };
        var withStatus = await Client.UpdateStatusAsync(updated);
        Assert.Equal("gw.example:80", withStatus.Status!.Endpoint);
        Assert.Equal(2, withStatus.Metadata.Generation);

        var patched = await Client.PatchAsync<ApiGateway>("a", "default", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["tier"] = "gold" } } });
        Assert.Equal("gold", patched.Metadata.Labels!["tier"]);

        Assert.True(await Client.DeleteAsync<ApiGateway>("a", "default"));
        Assert.Null(await Client.GetAsync<ApiGateway>("a", "default"));
        Assert.False(await Client.DeleteAsync<ApiGateway>("a", "default"));
    }

    [Fact]
    public async Task Api_errors_arrive_as_typed_exceptions_with_the_servers_message()
    {
        var created = await Client.CreateAsync(NewGateway("a"));
        await Client.PatchAsync<ApiGateway>("a", "default", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["x"] = "y" } } });

        var stale = await Assert.ThrowsAsync<KubernetesConflictException>(() => Client.UpdateAsync(created));
        Assert.False(stale.AlreadyExists);
        Assert.Contains("the object has been modified", stale.Message);

        var taken = await Assert.ThrowsAsync<KubernetesConflictException>(() => Client.CreateAsync(NewGateway("a")));
        Assert.True(taken.AlreadyExists);

        var invalid = NewGateway("b");
        invalid.Spec.Proxy.Service.Port = 70000;
        var rejected = await Assert.ThrowsAsync<KubernetesInvalidException>(() => Client.CreateAsync(invalid));
        Assert.Contains("spec.proxy.service.port", rejected.Message);

        var missing = await Assert.ThrowsAsync<KubernetesNotFoundException>(() => Client.UpdateAsync(NewGateway("nothing")));
        Assert.Equal("apigateways.tollgate.dev \"nothing\" not found", missing.Message);

        var conditional = new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = created.Metadata.ResourceVersion, ["labels"] = new JsonObject { ["z"] = "1" } } };
        await Assert.ThrowsAsync<KubernetesConflictException>(() => Client.PatchAsync<ApiGateway>("a", "default", conditional));
    }

    [Fact]
    public async Task Lists_select_by_label()
    {
        await Client.CreateAsync(NewGateway("a", new() { ["team"] = "payments" }));
        await Client.CreateAsync(NewGateway("b", new() { ["team"] = "search" }));

        var payments = await Client.ListAsync<ApiGateway>("default", "team=payments");
        Assert.Equal(["a"], payments.Items.Select(g => g.Metadata.Name));
        Assert.False(string.IsNullOrEmpty(payments.Metadata.ResourceVersion));
        Assert.Equal(2, (await Client.ListAsync<ApiGateway>()).Items.Count);
    }

    [Fact]
    public async Task A_watch_streams_changes_and_bookmarks_and_reports_gone_versions()
    {
        cluster.Server.BookmarkInterval = TimeSpan.FromMilliseconds(100);
        var start = (await Client.ListAsync<ApiGateway>("default")).Metadata.ResourceVersion!;
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<(WatchEventType Type, ApiGateway Object)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var change in Client.WatchAsync<ApiGateway>("default", null, start, cancel.Token))
            {
                seen.Add(change);
                if (change.Type == WatchEventType.Deleted)
                    return;
            }
        });
        await Client.CreateAsync(NewGateway("a"));
        await Client.PatchAsync<ApiGateway>("a", "default", new JsonObject { ["spec"] = new JsonObject { ["proxy"] = new JsonObject { ["replicas"] = 1 } } });
        await Task.Delay(250);
        await Client.DeleteAsync<ApiGateway>("a", "default");
        await watching;

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], seen.Where(e => e.Type != WatchEventType.Bookmark).Select(e => e.Type));
        Assert.Equal(1, seen.First(e => e.Type == WatchEventType.Modified).Object.Spec.Proxy.Replicas);
        Assert.Contains(seen, e => e.Type == WatchEventType.Bookmark && long.Parse(e.Object.Metadata.ResourceVersion!) > long.Parse(start));

        cluster.Server.Store.CompactHistory();
        var gone = await Assert.ThrowsAsync<KubernetesGoneException>(async () =>
        {
            await foreach (var _ in Client.WatchAsync<ApiGateway>("default", null, start, cancel.Token))
            {
            }
        });
        Assert.Contains("too old resource version", gone.Message);
    }

    [Fact]
    public async Task Events_are_recorded_against_the_object()
    {
        var gateway = await Client.CreateAsync(NewGateway("a"));
        var recorder = new EventRecorder(Client, NullLogger<EventRecorder>.Instance);

        await recorder.RecordAsync(gateway, EventType.Warning, "InvalidSpec", "spec.database.external: required when spec.database.mode is External");

        var recorded = Assert.Single((await Client.ListAsync<Corev1Event>("default")).Items);
        Assert.Equal("ApiGateway", recorded.InvolvedObject.Kind);
        Assert.Equal(gateway.Metadata.Uid, recorded.InvolvedObject.Uid);
        Assert.Equal("Warning", recorded.Type);
        Assert.Equal("InvalidSpec", recorded.Reason);
        Assert.StartsWith("a.", recorded.Metadata.Name);
    }
}
