using System.Text.Json.Nodes;
using Gateway.Operator.Builders;
using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Gateway.Operator.Tests.Runtime;

/// <summary>The controller runtime against the in-memory API server, with the controller and finalizer mocked.</summary>
public sealed class EntityControllerHostTests : IAsyncLifetime
{
    const string Finalizer = "tollgate.dev/test";
    const string RetiredFinalizer = "tollgate.dev/retired";
    TestCluster cluster = null!;
    readonly Mock<IEntityController<ApiGateway>> controller = new();
    readonly Mock<IEntityFinalizer<ApiGateway>> finalizer = new();
    readonly CancellationTokenSource stop = new();
    Task running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        cluster = await TestCluster.StartAsync();
        controller.Setup(c => c.ReconcileAsync(It.IsAny<ApiGateway>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ApiGateway g, CancellationToken _) => ReconciliationResult<ApiGateway>.Success(g));
        controller.Setup(c => c.DeletedAsync(It.IsAny<ApiGateway>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ApiGateway g, CancellationToken _) => ReconciliationResult<ApiGateway>.Success(g));
        finalizer.Setup(f => f.FinalizeAsync(It.IsAny<ApiGateway>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ApiGateway g, CancellationToken _) => ReconciliationResult<ApiGateway>.Success(g));
    }

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await running;
        await cluster.DisposeAsync();
    }

    void Start()
    {
        var informers = new InformerSet();
        var gateways = informers.Add(new Informer<ApiGateway>(cluster.Client, null, NullLogger.Instance));
        var secrets = informers.Add(new Informer<V1Secret>(cluster.Client, null, NullLogger.Instance));
        var host = new EntityControllerHost<ApiGateway>(cluster.Client, controller.Object, gateways, NullLogger.Instance) { Workers = 4 }
            .AddFinalizer(Finalizer, finalizer.Object)
            .RetireFinalizer(RetiredFinalizer)
            .Owns(secrets);
        var runtime = new OperatorRuntime(informers, [host.RunAsync], null, NullLogger.Instance);
        running = runtime.RunAsync(stop.Token);
    }


    int Reconciles(string name) => controller.Invocations.Count(i => i.Method.Name == "ReconcileAsync" && ((ApiGateway)i.Arguments[0]!).Metadata.Name == name);

    [Fact]
    public async Task A_new_entity_gets_its_finalizer_then_is_reconciled()
    {
        Start();
        await cluster.Client.CreateAsync(new ApiGateway { Metadata = new() { Name = "a", NamespaceProperty = "default" } });

        await Wait.UntilAsync(() => Reconciles("a") > 0, "a is reconciled");
        var reconciled = (ApiGateway)controller.Invocations.First(i => i.Method.Name == "ReconcileAsync").Arguments[0]!;
        Assert.Contains(Finalizer, reconciled.Metadata.Finalizers!);
        Assert.Contains(Finalizer, (await cluster.Client.GetAsync<ApiGateway>("a", "default"))!.Metadata.Finalizers!);
    }

    [Fact]
    public async Task A_change_to_an_owned_object_reconciles_its_owner()
    {
        Start();
        var owner = await cluster.Client.CreateAsync(new ApiGateway { Metadata = new() { Name = "a", NamespaceProperty = "default" } });
        await Wait.UntilAsync(() => Reconciles("a") > 0, "a is reconciled");
        var before = Reconciles("a");

        await cluster.Client.CreateAsync(SecretBuilder.AdminToken(owner, "t"));

        await Wait.UntilAsync(() => Reconciles("a") > before, "the owner is reconciled again");
    }

    [Fact]
    public async Task Failures_and_conflicts_are_retried_until_they_succeed()
    {
        var attempts = 0;
        controller.Setup(c => c.ReconcileAsync(It.IsAny<ApiGateway>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ApiGateway g, CancellationToken _) => Interlocked.Increment(ref attempts) switch
            {
                1 => throw new KubernetesConflictException("Conflict", "the object has been modified"),
                2 => ReconciliationResult<ApiGateway>.Failure(g, "database not reachable"),
                _ => ReconciliationResult<ApiGateway>.Success(g),
            });
        Start();
        await cluster.Client.CreateAsync(new ApiGateway { Metadata = new() { Name = "a", NamespaceProperty = "default" } });

        await Wait.UntilAsync(() => Volatile.Read(ref attempts) >= 3, "the third attempt ran");
        await Task.Delay(500);
        var settled = Volatile.Read(ref attempts);
        await Task.Delay(500);
        Assert.Equal(settled, Volatile.Read(ref attempts)); // success ends the retries
    }

    [Fact]
    public async Task One_entity_is_never_reconciled_twice_at_once()
    {
        var concurrent = 0;
        var maximum = 0;
        controller.Setup(c => c.ReconcileAsync(It.IsAny<ApiGateway>(), It.IsAny<CancellationToken>()))
            .Returns(async (ApiGateway g, CancellationToken _) =>
            {
                var now = Interlocked.Increment(ref concurrent);
                InterlockedMax(ref maximum, now);
                await Task.Delay(30);
                Interlocked.Decrement(ref concurrent);
                return ReconciliationResult<ApiGateway>.Success(g);
            });
        Start();
        await cluster.Client.CreateAsync(new ApiGateway { Metadata = new() { Name = "a", NamespaceProperty = "default" } });
        // Changes keep arriving while reconciles run; the queue coalesces them but never overlaps runs of one key.
        for (var i = 0; i < 20; i++)
        {
            await cluster.Client.PatchAsync<ApiGateway>("a", "default", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["n"] = i.ToString() } } });
            await Task.Delay(10);
        }

        await Wait.UntilAsync(() => Reconciles("a") >= 2 && Volatile.Read(ref concurrent) == 0, "the changes were reconciled");
        Assert.Equal(1, maximum);
    }

    [Fact]
    public async Task Deleting_runs_the_finalizer_removes_it_and_reports_the_deletion()
    {
        Start();
        await cluster.Client.CreateAsync(new ApiGateway { Metadata = new() { Name = "a", NamespaceProperty = "default" } });
        await Wait.UntilAsync(() => Reconciles("a") > 0, "a is reconciled");

        await cluster.Client.DeleteAsync<ApiGateway>("a", "default");

        await Wait.UntilAsync(() => controller.Invocations.Any(i => i.Method.Name == "DeletedAsync"), "DeletedAsync is called");
        finalizer.Verify(f => f.FinalizeAsync(It.Is<ApiGateway>(g => g.Metadata.DeletionTimestamp != null), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Null(await cluster.Client.GetAsync<ApiGateway>("a", "default"));
    }

    [Fact]
    public async Task Work_for_a_deletion_that_fails_is_tried_again()
    {
        var calls = 0;
        controller.Setup(c => c.DeletedAsync(It.IsAny<ApiGateway>(), It.IsAny<CancellationToken>()))
            .Returns((ApiGateway g, CancellationToken _) => Interlocked.Increment(ref calls) == 1
                ? throw new KubernetesApiException(System.Net.HttpStatusCode.InternalServerError, "InternalError", "the API server was busy")
                : Task.FromResult(ReconciliationResult<ApiGateway>.Success(g)));
        Start();
        await cluster.Client.CreateAsync(new ApiGateway { Metadata = new() { Name = "b", NamespaceProperty = "default" } });
        await Wait.UntilAsync(() => Reconciles("b") > 0, "b is reconciled");

        await cluster.Client.DeleteAsync<ApiGateway>("b", "default");

        await Wait.UntilAsync(() => Volatile.Read(ref calls) == 2, "DeletedAsync is called again after it failed");
    }

    [Fact]
    public async Task A_retired_finalizer_is_removed_on_reconcile()
    {
        Start();
        await cluster.Client.CreateAsync(new ApiGateway { Metadata = new() { Name = "old", NamespaceProperty = "default", Finalizers = [RetiredFinalizer] } });

        await Wait.UntilAsync(async () => (await cluster.Client.GetAsync<ApiGateway>("old", "default"))!.Metadata.Finalizers is [Finalizer],
            "the retired finalizer is replaced by the current one");
    }

    [Fact]
    public async Task An_entity_deleted_with_only_a_retired_finalizer_goes_away()
    {
        await cluster.Client.CreateAsync(new ApiGateway { Metadata = new() { Name = "old", NamespaceProperty = "default", Finalizers = [RetiredFinalizer] } });
        await cluster.Client.DeleteAsync<ApiGateway>("old", "default");
        Assert.NotNull(await cluster.Client.GetAsync<ApiGateway>("old", "default"));

        Start();

        await Wait.UntilAsync(async () => await cluster.Client.GetAsync<ApiGateway>("old", "default") is null, "the entity is gone");
        finalizer.Verify(f => f.FinalizeAsync(It.IsAny<ApiGateway>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
