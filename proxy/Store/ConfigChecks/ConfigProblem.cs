using Gateway.Proxy.Entities;

namespace Gateway.Proxy.Store.ConfigChecks;

public enum ConfigProblemKind { Duplicate, DanglingReference }

/// <summary>
/// One cross-entity problem in a configuration: <paramref name="Entity"/> of <paramref name="Kind"/> repeats a
/// unique value another entity already has, or its <paramref name="Field"/> points at an entity that is not there.
/// </summary>
public sealed record ConfigProblem(ConfigProblemKind Problem, EntityKind Kind, Entity Entity, string Field, string Message)
{
    /// <summary>The entity's name (its endpoint key, such as a service name) when it has one, else its id.</summary>
    public string EntityLabel => EndpointKeyValue(Kind, Entity) ?? Entity.Id.ToString();

    public override string ToString() => $"{Kind.Singular} '{EntityLabel}', {Field}: {Message}";

    internal static string? EndpointKeyValue(EntityKind kind, Entity entity)
    {
        var field = kind.EndpointKey is null ? null : kind.Schema.Field(kind.EndpointKey);
        return field?.Property.GetValue(entity) as string;
    }
}
