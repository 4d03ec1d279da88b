using Gateway.Operator.Sync;

namespace Gateway.Operator.Tests.Sync;

public class SpecChangesTests
{
    static V1Ingress Ingress(long generation, string? annotation = null, string? address = null) => new()
    {
        Metadata = new()
        {
            Name = "web", NamespaceProperty = "default", Generation = generation,
            Annotations = annotation is null ? null : new Dictionary<string, string> { ["tollgate.dev/plugins"] = annotation },
        },
        Status = address is null ? null : new() { LoadBalancer = new() { Ingress = [new() { Ip = address }] } },
    };

    [Fact]
    public void A_status_write_does_not_count_a_new_spec_an_annotation_or_a_deletion_does()
    {
        var changes = new SpecChanges();

        Assert.True(changes.Matters("V1Ingress", WatchEventType.Added, Ingress(1)));
        Assert.False(changes.Matters("V1Ingress", WatchEventType.Modified, Ingress(1, address: "203.0.113.1")));
        Assert.True(changes.Matters("V1Ingress", WatchEventType.Modified, Ingress(1, annotation: "key-auth")));
        Assert.False(changes.Matters("V1Ingress", WatchEventType.Modified, Ingress(1, annotation: "key-auth", address: "203.0.113.2")));
        Assert.True(changes.Matters("V1Ingress", WatchEventType.Modified, Ingress(2, annotation: "key-auth")));
        Assert.True(changes.Matters("V1Ingress", WatchEventType.Deleted, Ingress(2, annotation: "key-auth")));
        Assert.True(changes.Matters("V1Ingress", WatchEventType.Added, Ingress(2, annotation: "key-auth")));
        // Another kind with the same name is another object.
        Assert.True(changes.Matters("TollgatePlugin", WatchEventType.Added, Ingress(2, annotation: "key-auth")));
    }
}
