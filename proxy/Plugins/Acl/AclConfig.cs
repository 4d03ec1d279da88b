using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Plugins.Acl;

public sealed record AclConfig : IEntityRules
{
    [Length(1, 256), Description("Groups allowed through; a consumer in none of them gets 403.")]
    public string[]? Allow { get; init; }

    [Length(1, 256), Description("Groups refused with 403.")]
    public string[]? Deny { get; init; }

    [Description("Do not send the consumer's groups upstream in X-Consumer-Groups.")]
    public bool HideGroupsHeader { get; init; }

    public void Check(FieldErrors errors)
    {
        var hasAllow = Allow is { Length: > 0 };
        var hasDeny = Deny is { Length: > 0 };
        if (!hasAllow && !hasDeny) errors.AddEntity("at least one of these fields must be non-empty: 'allow', 'deny'");
        if (hasAllow && hasDeny) errors.AddEntity("only one of these fields must be non-empty: 'allow', 'deny'");
    }
}
