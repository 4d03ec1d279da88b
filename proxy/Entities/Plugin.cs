using System.Text.Json.Nodes;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Entities;

[Description("A plugin instance; scoped by whichever of service, route and consumer it names (none = global).")]
public sealed record Plugin : Entity
{
    [Required]
    public string? Name { get; init; }

    [Unique, CheckedBy(typeof(Names), nameof(Names.CheckName))]
    public string? InstanceName { get; init; }

    [Description("The plugin's own configuration, checked against that plugin's schema.")]
    public JsonObject? Config { get; init; }

    public bool Enabled { get; init; } = true;

    [OneOf("http", "https", "grpc", "grpcs", "ws", "wss")]
    public string[] Protocols { get; init; } = ["grpc", "grpcs", "http", "https"];

    [References("services", Cascade = true)]
    public EntityRef? Service { get; init; }

    [References("routes", Cascade = true)]
    public EntityRef? Route { get; init; }

    [References("consumers", Cascade = true)]
    public EntityRef? Consumer { get; init; }
}
