using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Entities;

[Description("A user or application of the APIs; credentials and plugins can be attached to it.")]
public sealed record Consumer : Entity, IEntityRules
{
    [Unique]
    public string? Username { get; init; }

    [Unique, Description("An identifier from another system, for mapping consumers to existing users.")]
    public string? CustomId { get; init; }

    public void Check(FieldErrors errors)
    {
        if (string.IsNullOrEmpty(Username) && string.IsNullOrEmpty(CustomId))
            errors.AddEntity("at least one of these fields must be non-empty: 'custom_id', 'username'");
    }
}
