using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Entities;

[Description("An API key of a consumer, for the key-auth plugin. Stored as a hash; the key is shown only when it is created.")]
public sealed record KeyAuthCredential : Entity
{
    [Required, References("consumers", Cascade = true)]
    public EntityRef? Consumer { get; init; }

    [Required, Unique, Generated, Secret(SecretKind.LookupKey), Length(1, 1024)]
    [Description("The API key; generated when left out.")]
    public string? Key { get; init; }

    [Between(0, 100_000_000), Description("Seconds after creation when the key stops working; none = never.")]
    public int? Ttl { get; init; }
}
