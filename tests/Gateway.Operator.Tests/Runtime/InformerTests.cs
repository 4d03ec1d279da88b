using System.Text.Json.Nodes;
using System.Runtime.CompilerServices;
using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Gateway.Operator.Tests.Runtime;

public class InformerTests
{
    static ApiGateway Gateway(string name, string version) => new() { Metadata = new() { Name = name, NamespaceProperty = "ns", ResourceVersion = version } };

    static KubernetesList<ApiGateway> List(string version, params ApiGateway[] items) => new([.. items], metadata: new() { ResourceVersion = version });

    static async IAsyncEnumerable<(WatchEventType Type, ApiGateway Object)> Events(IEnumerable<(WatchEventType Type, ApiGateway Object)> events, Exception? end, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        foreach (var change in events)
        {
            await Task.Yield();
            yield return change;
        }
        if (end is not null)
            throw end;
        await Task.Delay(Timeout.Infinite, cancel);
    }

    [Fact]
    public async Task On_410_gone_it_lists_again_and_reports_what_changed_meanwhile()
    {
        var client = new Mock<IKubernetesClient>();
        client.SetupSequence(c => c.ListAsync<ApiGateway>(null, "sel", It.IsAny<CancellationToken>()))
            .ReturnsAsync(List("10", Gateway("a", "5"), Gateway("b", "6")))
            .ReturnsAsync(List("20", Gateway("a", "11"), Gateway("c", "19")));
        client.Setup(c => c.WatchAsync<ApiGateway>(null, "sel", "10", It.IsAny<CancellationToken>()))
            .Returns((string? _, string? _, string _, CancellationToken cancel) => Events(
                [(WatchEventType.Bookmark, Gateway("", "10")), (WatchEventType.Modified, Gateway("a", "11"))],
                new KubernetesGoneException("too old resource version: 11 (15)"), cancel));
        client.Setup(c => c.WatchAsync<ApiGateway>(null, "sel", "20", It.IsAny<CancellationToken>()))
            .Returns((string? _, string? _, string _, CancellationToken cancel) => Events([], null, cancel));

        var informer = new Informer<ApiGateway>(client.Object, "sel", NullLogger.Instance);
        var seen = new List<string>();
        informer.Changed += (type, obj) => { lock (seen) seen.Add($"{type} {obj.Metadata.Name}"); };
        using var stop = new CancellationTokenSource();
        var running = informer.RunAsync(stop.Token);

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && informer.Get("ns", "c") is null)
            await Task.Delay(10);
        await stop.CancelAsync();
        await running;

        Assert.Equal(["Added a", "Added b", "Modified a", "Deleted b", "Added c"], seen);
        Assert.Equal(["a", "c"], informer.List().Select(g => g.Metadata.Name).Order());
        client.Verify(c => c.WatchAsync<ApiGateway>(null, "sel", "20", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task When_the_server_expires_its_watch_it_lists_again_and_misses_no_change()
    {
        await using var cluster = await TestCluster.StartAsync();
        JsonObject New(string name) => new() { ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = new JsonObject() };
        cluster.Server.Create(TestCluster.ApiVersion, "ApiGateway", "default", New("a"));
        var informer = new Informer<ApiGateway>(cluster.Client, null, NullLogger.Instance) { RetryDelay = TimeSpan.FromMilliseconds(50) };
        var seen = new List<string>();
        informer.Changed += (type, obj) => { lock (seen) seen.Add($"{type} {obj.Metadata.Name}"); };
        using var stop = new CancellationTokenSource();
        var running = informer.RunAsync(stop.Token);
        await informer.Synced;
        await Wait.UntilAsync(() => cluster.Server.Requests.Any(r => r.PathAndQuery.Contains("watch=true", StringComparison.Ordinal)), "the informer watches");
        int Lists() => cluster.Server.Requests.Count(r => r.Method == "GET" && r.PathAndQuery.Contains("/apigateways", StringComparison.Ordinal)
                                                          && !r.PathAndQuery.Contains("watch=true", StringComparison.Ordinal));
        var lists = Lists();

        // The server's watch cache leaves the informer behind: its watch ends with 410 Gone, and the history it could
        // resume from is gone too, while objects keep changing.
        cluster.Server.Store.ExpireWatches();
        cluster.Server.Create(TestCluster.ApiVersion, "ApiGateway", "default", New("b"));
        cluster.Server.Delete(TestCluster.ApiVersion, "ApiGateway", "default", "a");

        await Wait.UntilAsync(() => informer.Get("default", "b") is not null && informer.Get("default", "a") is null, "the informer catches up");
        Assert.True(Lists() > lists, "it listed again");
        lock (seen)
        {
            Assert.Contains("Added b", seen);
            Assert.Contains("Deleted a", seen);
        }
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_watch_the_server_ends_resumes_from_the_last_bookmark_without_listing()
    {
        var client = new Mock<IKubernetesClient>();
        client.Setup(c => c.ListAsync<ApiGateway>(null, null, It.IsAny<CancellationToken>())).ReturnsAsync(List("10"));
        client.Setup(c => c.WatchAsync<ApiGateway>(null, null, "10", It.IsAny<CancellationToken>()))
            .Returns((string? _, string? _, string _, CancellationToken cancel) => Finite([(WatchEventType.Bookmark, Gateway("", "42"))]));
        client.Setup(c => c.WatchAsync<ApiGateway>(null, null, "42", It.IsAny<CancellationToken>()))
            .Returns((string? _, string? _, string _, CancellationToken cancel) => Events([(WatchEventType.Added, Gateway("late", "43"))], null, cancel));

        var informer = new Informer<ApiGateway>(client.Object, null, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = informer.RunAsync(stop.Token);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && informer.Get("ns", "late") is null)
            await Task.Delay(10);
        await stop.CancelAsync();
        await running;

        Assert.NotNull(informer.Get("ns", "late"));
        client.Verify(c => c.ListAsync<ApiGateway>(null, null, It.IsAny<CancellationToken>()), Times.Once);
    }

    static async IAsyncEnumerable<(WatchEventType Type, ApiGateway Object)> Finite(IEnumerable<(WatchEventType Type, ApiGateway Object)> events)
    {
        foreach (var change in events)
        {
            await Task.Yield();
            yield return change;
        }
    }

    [Fact]
    public async Task Cached_objects_hold_neither_field_managers_nor_kubectls_last_applied_copy()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var kubectl = new Kubectl.KubectlRunner(cluster.Server);
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              annotations: {tollgate.dev/plugins: key-auth}
            spec:
              defaultBackend: {service: {name: web, port: {number: 80}}}
            """);
        await kubectl.SucceedAsync("apply", "-f", file);
        var stored = cluster.Server.Get("networking.k8s.io/v1", "Ingress", "default", "web");
        Assert.NotNull(stored["metadata"]!["managedFields"]);
        Assert.NotNull(stored["metadata"]!["annotations"]![Informer<V1Ingress>.LastAppliedAnnotation]);

        var informer = new Informer<V1Ingress>(cluster.Client, null, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = informer.RunAsync(stop.Token);
        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));
        await kubectl.SucceedAsync("annotate", "ingress", "web", "touched=yes");
        await Wait.UntilAsync(() => informer.Get("default", "web")?.Metadata.Annotations?.ContainsKey("touched") == true, "the watch delivers the change");

        var cached = informer.Get("default", "web")!;
        Assert.Null(cached.Metadata.ManagedFields);
        Assert.Equal(new Dictionary<string, string> { ["tollgate.dev/plugins"] = "key-auth", ["touched"] = "yes" }, cached.Metadata.Annotations);
        await stop.CancelAsync();
        await running;
        File.Delete(file);
    }

    [Fact]
    public async Task An_optional_kind_the_server_does_not_serve_counts_as_synced_and_empty_until_its_CRD_is_installed()
    {
        await using var cluster = await TestCluster.StartAsync();
        var informer = new Informer<Gateway.Operator.GatewayApi.HttpRoute>(cluster.Client, null, NullLogger.Instance)
        {
            Optional = true,
            AbsentRecheck = TimeSpan.FromMilliseconds(100),
        };
        using var stop = new CancellationTokenSource();
        var running = informer.RunAsync(stop.Token);

        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(informer.IsAbsent);
        Assert.Empty(informer.List());

        GatewayApi.GatewayApiCrds.Install(cluster.Server);
        cluster.Server.Create("gateway.networking.k8s.io/v1", "HTTPRoute", "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject(),
        });
        await Wait.UntilAsync(() => !informer.IsAbsent && informer.Get("default", "web") is not null, "the installed kind is listed");
        await stop.CancelAsync();
        await running;
    }
}
