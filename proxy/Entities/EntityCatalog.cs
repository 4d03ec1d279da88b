namespace Gateway.Proxy.Entities;

/// <summary>All entity kinds, parents before the kinds that reference them.</summary>
public static class EntityCatalog
{
    public static readonly EntityKind Certificates = new("certificates", typeof(Certificate));
    public static readonly EntityKind CaCertificates = new("ca_certificates", typeof(CaCertificate), expand: CaCertificate.Expand);
    public static readonly EntityKind Snis = new("snis", typeof(Sni), endpointKey: "name");
    public static readonly EntityKind Services = new("services", typeof(Service), endpointKey: "name", expand: ServiceUrl.Expand);
    public static readonly EntityKind Routes = new("routes", typeof(Route), endpointKey: "name");
    public static readonly EntityKind Upstreams = new("upstreams", typeof(Upstream), endpointKey: "name");
    public static readonly EntityKind Targets = new("targets", typeof(Target), endpointKey: "target", uniqueTogether: ["upstream", "target"],
        expand: Target.Expand);
    public static readonly EntityKind Consumers = new("consumers", typeof(Consumer), endpointKey: "username");
    public static readonly EntityKind Plugins = new("plugins", typeof(Plugin), endpointKey: "instance_name",
        uniqueTogether: ["name", "route", "service", "consumer"]);

    public static readonly EntityKind KeyAuthCredentials = new("keyauth_credentials", typeof(KeyAuthCredential),
        adminPath: "key-auths", nestedAdminPath: "key-auth");
    public static readonly EntityKind BasicAuthCredentials = new("basicauth_credentials", typeof(BasicAuthCredential),
        endpointKey: "username", adminPath: "basic-auths", nestedAdminPath: "basic-auth");
    public static readonly EntityKind JwtSecrets = new("jwt_secrets", typeof(JwtSecret), endpointKey: "key",
        adminPath: "jwts", nestedAdminPath: "jwt");
    public static readonly EntityKind Acls = new("acls", typeof(Acl), uniqueTogether: ["consumer", "group"]);

    public static readonly IReadOnlyList<EntityKind> All =
    [
        Certificates, Snis, CaCertificates, Services, Routes, Upstreams, Targets, Consumers, Plugins,
        KeyAuthCredentials, BasicAuthCredentials, JwtSecrets, Acls,
    ];

    /// <summary>The kind stored and declared under <paramref name="name"/> ("keyauth_credentials").</summary>
    public static EntityKind? Find(string name)
    {
        foreach (var kind in All)
            if (kind.Name == name) return kind;
        return null;
    }

    /// <summary>The kind whose Admin API collection is <paramref name="path"/> ("key-auths").</summary>
    public static EntityKind? FindByAdminPath(string path)
    {
        foreach (var kind in All)
            if (kind.AdminPath == path) return kind;
        return null;
    }

    public static EntityKind Of(Type clrType)
    {
        foreach (var kind in All)
            if (kind.ClrType == clrType) return kind;
        throw new ArgumentException($"{clrType.Name} is not an entity type");
    }

    /// <summary>Kinds with an array of ids naming <paramref name="parent"/>'s entities, with that field.</summary>
    public static IEnumerable<(EntityKind Kind, Schema.FieldSpec Field)> ListingIn(EntityKind parent)
    {
        foreach (var kind in All)
            foreach (var field in kind.ReferenceLists)
                if (field.References == parent.Name) yield return (kind, field);
    }

    /// <summary>Kinds with a reference field pointing at <paramref name="parent"/>, with that field.</summary>
    public static IEnumerable<(EntityKind Child, Schema.FieldSpec Field)> ChildrenOf(EntityKind parent)
    {
        foreach (var kind in All)
            foreach (var field in kind.References)
                if (field.References == parent.Name) yield return (kind, field);
    }
}
