using Gateway.Proxy.Schema;
using Gateway.Proxy.Secrets;

namespace Gateway.Proxy.Entities;

[Description("A username and password of a consumer, for the basic-auth plugin. The password is stored salted and hashed.")]
public sealed record BasicAuthCredential : Entity
{
    [Required, References("consumers", Cascade = true)]
    public EntityRef? Consumer { get; init; }

    [Required, Unique, Length(1, 256)]
    public string? Username { get; init; }

    [Required, Secret(SecretKind.Password), Length(1, 1024), CheckedBy(typeof(SecretHash), nameof(SecretHash.CheckStoredPassword))]
    public string? Password { get; init; }
}
