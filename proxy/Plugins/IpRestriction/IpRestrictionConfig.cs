using Gateway.Proxy.Entities;
using Gateway.Proxy.Networking;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Plugins.IpRestriction;

public sealed record IpRestrictionConfig : IEntityRules
{
    [CheckedBy(typeof(IpRestrictionConfig), nameof(CheckIpOrCidr))]
    [Description("Addresses and CIDR blocks let through; any other client is refused.")]
    public string[]? Allow { get; init; }

    [CheckedBy(typeof(IpRestrictionConfig), nameof(CheckIpOrCidr))]
    [Description("Addresses and CIDR blocks refused, even when they are also allowed.")]
    public string[]? Deny { get; init; }

    [Between(100, 599), Description("The status of a refusal.")]
    public int Status { get; init; } = 403;

    [Length(1, 1024), Description("The message of a refusal.")]
    public string Message { get; init; } = "Your IP address is not allowed";

    public static string? CheckIpOrCidr(string value) =>
        IpNetworks.TryParse(value, out _) ? null : $"invalid ip or cidr range: '{value}'";

    public void Check(FieldErrors errors)
    {
        if (Allow is not { Length: > 0 } && Deny is not { Length: > 0 })
            errors.AddEntity("at least one of these fields must be non-empty: 'allow', 'deny'");
    }
}
