using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Admin.Entities;

/// <summary>
/// Kinds whose endpoint key is unique only within a parent (a target's address within its upstream) are
/// reachable only under that parent, as in Kong, where <c>/targets</c> does not exist.
/// </summary>
public static class EntityScopes
{
    /// <summary>The reference field that scopes the kind's endpoint key, or null for globally addressable kinds.</summary>
    public static FieldSpec? ScopeField(EntityKind kind)
    {
        if (kind.EndpointKey is not { } key || !kind.UniqueTogether.Contains(key)) return null;
        foreach (var name in kind.UniqueTogether)
        {
            if (kind.Schema.Field(name) is { Kind: FieldKind.Reference } field) return field;
        }
        return null;
    }
}
