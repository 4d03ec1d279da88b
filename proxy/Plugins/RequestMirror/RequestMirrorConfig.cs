using Gateway.Proxy.Entities;
using Gateway.Proxy.Schema;

namespace Gateway.Proxy.Plugins.RequestMirror;

public sealed record RequestMirrorConfig : IEntityRules
{
    [CheckedBy(typeof(Names), nameof(Names.CheckTarget)),
     Description("Where the copies go: host:port of each endpoint of the mirror, one picked at random for each copy.")]
    public string[] Targets { get; init; } = [];

    [Between(0, 100), Description("The percentage of requests copied (100 by default).")]
    public double Percent { get; init; } = 100;

    public void Check(FieldErrors errors)
    {
        if (Targets.Length == 0) errors.Add("targets", "required field missing: at least one host:port");
    }
}
