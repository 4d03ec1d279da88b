using System.Text.Json.Nodes;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Entities;

/// <summary>
/// Everything the stores, the Admin API and the declarative format need to know about one kind of entity:
/// its plural name (the Admin API path and table name), its schema, how it is addressed besides its id,
/// and which fields must be unique together.
/// </summary>
public sealed class EntityKind
{
    public EntityKind(string name, Type clrType, string? endpointKey = null, string[]? uniqueTogether = null,
        Action<JsonObject, FieldErrors>? expand = null, string? adminPath = null, string? nestedAdminPath = null)
    {
        Name = name;
        AdminPath = adminPath ?? name;
        NestedAdminPath = nestedAdminPath ?? AdminPath;
        ClrType = clrType;
        Schema = RecordSchema.For(clrType);
        EndpointKey = endpointKey;
        UniqueTogether = uniqueTogether ?? [];
        Expand = expand;
        References = Schema.Fields.Where(f => f.Kind == FieldKind.Reference).ToArray();
        ReferenceLists = Schema.Fields.Where(f => f.IsReferenceList).ToArray();
        UniqueFields = Schema.Fields.Where(f => f.Unique).ToArray();
        SecretFields = Schema.Fields.Where(f => f.Secret is not null).ToArray();
    }

    /// <summary>Plural, as the table and the declarative key: "services", "keyauth_credentials".</summary>
    public string Name { get; }

    /// <summary>The Admin API collection path: "services", "key-auths".</summary>
    public string AdminPath { get; }

    /// <summary>The Admin API path under a parent: "routes" in /services/{s}/routes, "key-auth" in /consumers/{c}/key-auth.</summary>
    public string NestedAdminPath { get; }

    /// <summary>Fields whose stored value is a hash of what the client sent (keys, passwords).</summary>
    public IReadOnlyList<FieldSpec> SecretFields { get; }

    public Type ClrType { get; }
    public RecordSchema Schema { get; }

    /// <summary>The unique field that can stand for the id in paths ("name", "username"), if any.</summary>
    public string? EndpointKey { get; }

    /// <summary>Fields whose combination must be unique (a target within its upstream, a plugin per scope).</summary>
    public IReadOnlyList<string> UniqueTogether { get; }

    /// <summary>Rewrites shorthand input (a service's url) into real fields before validation.</summary>
    public Action<JsonObject, FieldErrors>? Expand { get; }

    public IReadOnlyList<FieldSpec> References { get; }

    /// <summary>Arrays of ids naming entities of another kind (a service's ca_certificates).</summary>
    public IReadOnlyList<FieldSpec> ReferenceLists { get; }
    public IReadOnlyList<FieldSpec> UniqueFields { get; }

    /// <summary>"services" → "service", used in messages.</summary>
    public string Singular => Name.EndsWith("ies", StringComparison.Ordinal) ? Name[..^3] + "y" : Name.TrimEnd('s');

    public override string ToString() => Name;
}
