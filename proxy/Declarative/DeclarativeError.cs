namespace Gateway.Proxy.Declarative;

/// <summary>
/// One problem in a declarative document. <paramref name="Path"/> locates it (<c>services[0].routes[1].paths</c>,
/// empty for the whole document); the entity fields say which entity it concerns, when it concerns one.
/// </summary>
public sealed record DeclarativeError(string Path, string Message)
{
    /// <summary>Singular entity type, such as "route".</summary>
    public string? EntityType { get; init; }

    /// <summary>The entity's name (endpoint key) when it has one.</summary>
    public string? EntityName { get; init; }

    public Guid? EntityId { get; init; }

    /// <summary>The entity's tags: a caller that tags entities with their source finds the source from them.</summary>
    public IReadOnlyList<string>? EntityTags { get; init; }

    /// <summary>1-based position of a syntax error.</summary>
    public int? Line { get; init; }

    public int? Column { get; init; }

    public override string ToString()
    {
        var where = Path.Length == 0 ? "" : Path + ": ";
        var who = EntityName is not null ? $" ({EntityType} '{EntityName}')" : "";
        return where + Message + who;
    }
}
