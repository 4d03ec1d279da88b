using System.Text.Json.Nodes;

namespace Gateway.KubeApiServer;

/// <summary>Converts between the version of a resource a client uses and the one the server keeps (<see cref="ResourceType.StoredAs"/>).</summary>
static class StoredVersions
{
    /// <summary>The object as kept; <paramref name="obj"/> itself when the kind is kept as it is.</summary>
    public static JsonObject ToStored(ResourceType served, JsonObject obj) => served.StoredAs switch
    {
        null => obj,
        { Group: "", Kind: "Event" } => EventVersions.ToCore(obj),
        _ => throw new InvalidOperationException($"no conversion from {served.GroupVersion} {served.Kind} to {served.StoredAs.GroupVersion}"),
    };

    /// <summary>The object as <paramref name="served"/> shows it; <paramref name="stored"/> itself when the kind is kept as it is.</summary>
    public static JsonObject ToServed(ResourceType served, JsonObject stored) => served.StoredAs switch
    {
        null => stored,
        { Group: "", Kind: "Event" } => EventVersions.FromCore(stored, served.GroupVersion),
        _ => throw new InvalidOperationException($"no conversion from {served.StoredAs.GroupVersion} to {served.GroupVersion} {served.Kind}"),
    };
}
