using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Entities;

[Description("Membership of a consumer in a group, checked by the acl plugin.")]
public sealed record Acl : Entity
{
    [Required, References("consumers", Cascade = true)]
    public EntityRef? Consumer { get; init; }

    [Required, Length(1, 256)]
    public string? Group { get; init; }
}
