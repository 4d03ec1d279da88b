using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Entities;

[Description("A server name (TLS SNI) bound to a certificate; the leftmost label may be a wildcard.")]
public sealed record Sni : Entity
{
    [Required, Unique, CheckedBy(typeof(Names), nameof(Names.CheckSni))]
    public string? Name { get; init; }

    [Required, References("certificates", Cascade = true)]
    public EntityRef? Certificate { get; init; }
}
