namespace Gateway.Proxy.Entities;

/// <summary>All entity kinds, parents before the kinds that reference them.</summary>
public static class EntityCatalog
{
    public static readonly EntityKind Certificates = new("certificates", typeof(Certificate));
    public static readonly EntityKind Snis = new("snis", typeof(Sni), endpointKey: "name");
    public static readonly EntityKind Services = new("services", typeof(Service), endpointKey: "name", expand: ServiceUrl.Expand);
    public static readonly EntityKind Routes = new("routes", typeof(Route), endpointKey: "name");
    public static readonly EntityKind Upstreams = new("upstreams", typeof(Upstream), endpointKey: "name");
    public static readonly EntityKind Targets = new("targets", typeof(Target), endpointKey: "target", uniqueTogether: ["upstream", "target"],
        expand: Target.Expand);
    public static readonly EntityKind Consumers = new("consumers", typeof(Consumer), endpointKey: "username");
    public static readonly EntityKind Plugins = new("plugins", typeof(Plugin), endpointKey: "instance_name",
        uniqueTogether: ["name", "route", "service", "consumer"]);

    public static readonly IReadOnlyList<EntityKind> All =
        [Certificates, Snis, Services, Routes, Upstreams, Targets, Consumers, Plugins];

    public static EntityKind? Find(string name)
    {
        foreach (var kind in All)
            if (kind.Name == name) return kind;
        return null;
    }

    public static EntityKind Of(Type clrType)
    {
        foreach (var kind in All)
            if (kind.ClrType == clrType) return kind;
        throw new ArgumentException($"{clrType.Name} is not an entity type");
    }

    /// <summary>Kinds with a reference field pointing at <paramref name="parent"/>, with that field.</summary>
    public static IEnumerable<(EntityKind Child, Schema.FieldSpec Field)> ChildrenOf(EntityKind parent)
    {
        foreach (var kind in All)
            foreach (var field in kind.References)
                if (field.References == parent.Name) yield return (kind, field);
    }
}
