using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Entities;

/// <summary>What every configuration entity has: an id, timestamps (seconds since the epoch) and tags.</summary>
public abstract record Entity
{
    [Auto, Description("Unique identifier (UUID), generated when not given.")]
    public Guid Id { get; init; }

    [Auto, Description("Creation time, seconds since the Unix epoch.")]
    public long CreatedAt { get; init; }

    [Auto, Description("Last update time, seconds since the Unix epoch.")]
    public long UpdatedAt { get; init; }

    [CheckedBy(typeof(Names), nameof(Names.CheckTag)), Description("Labels for grouping and filtering.")]
    public string[]? Tags { get; init; }
}

/// <summary>Checks that span several fields of one entity, run after field validation passed.</summary>
public interface IEntityRules
{
    void Check(FieldErrors errors);
}
