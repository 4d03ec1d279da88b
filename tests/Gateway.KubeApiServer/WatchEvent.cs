using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Gateway.KubeApiServer;

/// <summary>One change in the store, as watches see it. <see cref="Previous"/> lets a filtered watch notice an object leaving its selection.</summary>
public sealed record WatchEvent(string Type, ResourceType Resource, JsonObject Object, JsonObject? Previous, long Revision)
{
    public string? Namespace => (string?)Object["metadata"]?["namespace"];
}

/// <summary>A registered watch: events for one resource (and optionally one namespace) flow into its channel.</summary>
public sealed class Watcher(ResourceType resource, string? ns)
{
    public Channel<WatchEvent> Events { get; } = Channel.CreateUnbounded<WatchEvent>();

    public bool Wants(WatchEvent change) =>
        change.Resource.Group == resource.Group && change.Resource.Plural == resource.Plural
        && (ns is null || change.Namespace == ns);
}
