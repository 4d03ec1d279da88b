using Gateway.Proxy.Consumers;
using Gateway.Proxy.PluginEngine;

namespace Gateway.Proxy.Plugins.Acl;

/// <summary>Lets a consumer through by its groups (allow or deny list), as Kong's acl. Runs after authentication.</summary>
public sealed class AclHandler(AclConfig config) : PluginHandler
{
    public const string Name = "acl";
    public const string Refused = "You cannot consume this service";

    public static readonly PluginDefinition Registration =
        PluginDefinition.Create<AclConfig>(Name, 950, (config, _) => new AclHandler(config), allowsConsumer: false);

    private readonly HashSet<string>? _allow = config.Allow is { Length: > 0 } allow ? new HashSet<string>(allow, StringComparer.Ordinal) : null;
    private readonly HashSet<string>? _deny = config.Deny is { Length: > 0 } deny ? new HashSet<string>(deny, StringComparer.Ordinal) : null;

    public override ValueTask AccessAsync(PluginContext context)
    {
        if (context.Consumer is not { } consumer)
        {
            context.Exit(401, "Unauthorized");
            return ValueTask.CompletedTask;
        }
        var groups = context.Consumers.GroupsOf(consumer.Id);
        if (IsBlocked(groups))
        {
            context.Exit(403, Refused);
            return ValueTask.CompletedTask;
        }
        ConsumerHeaders.SetOrRemove(context.Http.Request.Headers, ConsumerHeaders.Groups,
            config.HideGroupsHeader ? null : context.Consumers.GroupsHeaderOf(consumer.Id));
        return ValueTask.CompletedTask;
    }

    private bool IsBlocked(string[] groups)
    {
        if (_allow is not null)
        {
            foreach (var group in groups)
                if (_allow.Contains(group)) return false;
            return true;
        }
        foreach (var group in groups)
            if (_deny!.Contains(group)) return true;
        return false;
    }
}
