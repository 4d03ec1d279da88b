using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Plugins.RequestMirror;

public sealed record RequestMirrorConfig : IEntityRules
{
    [Description("Where copies go: each mirror gets its own copy of the requests it draws.")]
    public Mirror[] Mirrors { get; init; } = [];

    public void Check(FieldErrors errors)
    {
        if (Mirrors.Length == 0) errors.Add("mirrors", "required field missing: at least one mirror");
        foreach (var mirror in Mirrors)
            if (mirror.Targets.Length == 0) errors.Add("mirrors", "a mirror needs at least one target host:port");
    }
}

/// <summary>One mirror: its endpoints and the share of requests it gets a copy of.</summary>
public sealed record Mirror
{
    [CheckedBy(typeof(Names), nameof(Names.CheckTarget)),
     Description("host:port of each endpoint of the mirror, one picked at random for each copy.")]
    public string[] Targets { get; init; } = [];

    [Between(0, 100), Description("The percentage of requests copied (100 by default).")]
    public double Percent { get; init; } = 100;
}
