using Gateway.Operator.Entities;
using Gateway.Operator.Kubernetes;
using Gateway.Operator.Sync;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Operator.Tests.Sync;

/// <summary>Status written from a cache that can be behind the API server.</summary>
public sealed class StatusWriterTests : IAsyncLifetime
{
    TestCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await TestCluster.StartAsync();
    public async Task DisposeAsync() => await cluster.DisposeAsync();

    StatusWriter Writer() => new(cluster.Client, new EventRecorder(cluster.Client, NullLogger<EventRecorder>.Instance), TimeProvider.System);

    static Task Write(StatusWriter writer, TollgateConsumer consumer) =>
        writer.WriteAsync(new ClusterState { Consumers = [consumer] }, [], [], [], CancellationToken.None);

    [Fact]
    public async Task A_write_from_a_cached_object_that_is_behind_is_reported_so_that_the_sync_goes_again()
    {
        var created = await cluster.Client.CreateAsync(new TollgateConsumer
        {
            Metadata = new() { Name = "alice", NamespaceProperty = "default" },
            Username = "alice",
        });
        // The object changes on the server after the cache saw it (as our own last status write can).
        var newer = await cluster.Client.GetAsync<TollgateConsumer>("alice", "default");
        newer!.Metadata.Labels = new Dictionary<string, string> { ["team"] = "a" };
        await cluster.Client.UpdateAsync(newer);
        var writer = Writer();

        await Write(writer, created);

        Assert.True(writer.TakeConflicts());
        Assert.False(writer.TakeConflicts());
        Assert.Null((await cluster.Client.GetAsync<TollgateConsumer>("alice", "default"))!.Status);

        // The sync's next round, from a cache that caught up, writes it.
        await Write(writer, (await cluster.Client.GetAsync<TollgateConsumer>("alice", "default"))!);

        Assert.False(writer.TakeConflicts());
        var condition = Assert.Single((await cluster.Client.GetAsync<TollgateConsumer>("alice", "default"))!.Status!.Conditions);
        Assert.Equal(("Programmed", "False", "NoGateway"), (condition.Type, condition.Status, condition.Reason));
    }
}
